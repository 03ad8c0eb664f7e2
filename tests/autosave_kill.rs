//! The autosave end to end, in real processes: the app (headless, the
//! hidden `accessplan autosave-drill`) makes three edits and idles; it is
//! killed with SIGKILL two seconds later; a new process recovers the
//! autosave through the app's recovery path and finds every edit. And an
//! autosave folder that cannot be written is said in the app's messages.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A drill process, killed when dropped (a failed assertion leaves none behind).
struct Drill(Child);

impl Drop for Drill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn drill(home: &std::path::Path, recover: bool) -> Drill {
    let mut c = Command::new(env!("CARGO_BIN_EXE_accessplan"));
    c.arg("autosave-drill").env("ACCESSPLAN_HOME", home).stdout(Stdio::piped()).stderr(Stdio::inherit());
    if recover {
        c.arg("--recover");
    }
    Drill(c.spawn().expect("the accessplan binary starts"))
}

/// The child's stdout lines, read on a thread so the test can wait with a limit.
fn lines(child: &mut Drill) -> mpsc::Receiver<String> {
    let out = child.0.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    rx
}

/// Lines until one for which `end` holds (included), waiting at most two minutes.
fn until(rx: &mpsc::Receiver<String>, what: &str, end: impl Fn(&str) -> bool) -> Vec<String> {
    let mut got = Vec::new();
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(120)) {
        let stop = end(&l);
        got.push(l);
        if stop {
            return got;
        }
    }
    panic!("no '{what}' from the drill; it said:\n{}", got.join("\n"));
}

fn with_prefix(lines: &[String], prefix: &str) -> Vec<String> {
    lines.iter().filter_map(|l| l.strip_prefix(prefix)).map(str::to_string).collect()
}

#[test]
fn three_edits_left_idle_survive_a_kill_9_and_come_back() {
    let home = std::env::temp_dir().join(format!("accessplan-autosave-kill-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let mut child = drill(&home, false);
    let rx = lines(&mut child);
    let said = until(&rx, "edited", |l| l == "edited");
    let before = with_prefix(&said, "before: ");
    let edited = with_prefix(&said, "edited: ");
    assert_eq!(edited.len(), 3, "{said:?}");
    // Every one of the three services was changed.
    for (b, e) in before.iter().zip(&edited) {
        assert_ne!(b, e);
    }
    // Idle (no input, no frame asked for), then killed without warning.
    std::thread::sleep(Duration::from_secs(2));
    child.0.kill().unwrap();
    child.0.wait().unwrap();
    let autosave = std::fs::read_to_string(home.join("autosave.toml")).expect("the autosave was written before the kill");
    assert!(autosave.starts_with("# accessplan scenario") || autosave.contains("autosave of "), "{autosave}");

    let mut again = drill(&home, true);
    let rx = lines(&mut again);
    let mut said = Vec::new();
    while let Ok(l) = rx.recv_timeout(Duration::from_secs(120)) {
        said.push(l);
    }
    assert!(again.0.wait().unwrap().success(), "{said:?}");
    assert!(said.iter().any(|l| l == "message: Recovered the autosaved scenario (Undo to go back)."), "{said:?}");
    assert_eq!(with_prefix(&said, "state: "), edited, "every edit comes back");
    std::fs::remove_dir_all(&home).ok();
}

#[test]
fn an_autosave_folder_that_cannot_be_written_is_said() {
    // The data folder lies under a plain file: it can never be made.
    let base = std::env::temp_dir().join(format!("accessplan-autosave-blocked-{}", std::process::id()));
    std::fs::create_dir_all(&base).unwrap();
    let file = base.join("not-a-folder");
    std::fs::write(&file, "x").unwrap();
    let home = file.join("accessplan");
    let mut child = drill(&home, false);
    let rx = lines(&mut child);
    // The worker's failure wakes the app, which says it without any input.
    let said = until(&rx, "Autosave failed", |l| l.starts_with("message (error): Autosave failed"));
    let last = said.last().unwrap();
    assert!(last.contains(&home.display().to_string()), "{last}");
    assert!(last.ends_with("Save your work with Ctrl+S."), "{last}");
    drop(child);
    std::fs::remove_dir_all(&base).ok();
}
