//! The `accessplan` command: with no arguments it opens the desktop app;
//! with a subcommand it runs the same engine headless.

mod app;
mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
