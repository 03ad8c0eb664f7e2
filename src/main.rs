//! The `accessplan` command: clap subcommands over the engine.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
