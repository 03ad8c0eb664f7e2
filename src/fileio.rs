//! Writing files safely: every output of the program (results, maps,
//! reports, scenarios, autosaves) goes through [`write_atomic`], which writes
//! a temporary file beside the target and renames it over, so a crash never
//! leaves half a file, and which refuses to write over an input file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// flushed, then renamed over the target. Refuses when `path` is one of
/// `inputs` (inputs are never written to).
pub fn write_atomic(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<()> {
    write_atomic_with(path, inputs, |w| w.write_all(bytes))
}

/// Like [`write_atomic`], for output too large to hold in memory: `write`
/// streams it into the temporary file (buffered), which is then synced and
/// renamed over `path`. On any error the temporary file is removed and the
/// target is left as it was.
pub fn write_atomic_with(path: &Path, inputs: &[PathBuf], write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let target = canonical_or_self(path);
    if inputs.iter().any(|i| canonical_or_self(i) == target) {
        return Err(Error::WouldOverwriteInput { path: path.to_path_buf() });
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let werr = |source| Error::Write { path: path.to_path_buf(), source };
    let result = (|| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut w)?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename itself reaches the disk only once the folder is synced.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(werr)
}

/// Checks, before any long work, that `path` can be written: it is not one
/// of `inputs`, its folder exists, and a new file can be made there (a probe
/// file is created and removed). A command calls this for each output at
/// its start, so a wrong `--out` is reported at once rather than after the
/// computation.
pub fn check_writable(path: &Path, inputs: &[PathBuf]) -> Result<()> {
    let target = canonical_or_self(path);
    if inputs.iter().any(|i| canonical_or_self(i) == target) {
        return Err(Error::WouldOverwriteInput { path: path.to_path_buf() });
    }
    if path.is_dir() {
        return Err(Error::Write { path: path.to_path_buf(), source: std::io::Error::other("it is a folder; name a file") });
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        let why = format!("the folder {} does not exist", dir.display());
        return Err(Error::Write { path: path.to_path_buf(), source: std::io::Error::new(std::io::ErrorKind::NotFound, why) });
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("output");
    let probe = dir.join(format!(".{name}.{}.probe", std::process::id()));
    std::fs::File::create(&probe).map_err(|source| Error::Write { path: path.to_path_buf(), source })?;
    let _ = std::fs::remove_file(&probe);
    Ok(())
}

/// Like [`check_writable`] for an output folder: it is made if missing, and
/// none of `names` in it is one of `inputs`.
pub fn check_writable_folder(dir: &Path, names: &[&str], inputs: &[PathBuf]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Write { path: dir.to_path_buf(), source })?;
    for n in names {
        check_writable(&dir.join(n), inputs)?;
    }
    Ok(())
}

fn canonical_or_self(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    // A file that does not exist yet: canonicalise its folder.
    match (p.parent(), p.file_name()) {
        (Some(d), Some(n)) => d.canonicalize().map(|d| d.join(n)).unwrap_or_else(|_| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_never_touches_inputs() {
        let dir = std::env::temp_dir().join(format!("accessplan-fileio-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("out.csv");
        write_atomic(&out, b"a\n", &[]).unwrap();
        write_atomic(&out, b"b\n", &[]).unwrap();
        assert_eq!(std::fs::read(&out).unwrap(), b"b\n");
        let input = dir.join("in.csv");
        std::fs::write(&input, b"keep").unwrap();
        let e = write_atomic(&dir.join("./in.csv"), b"x", std::slice::from_ref(&input)).unwrap_err();
        assert!(e.to_string().contains("one of the inputs"), "{e}");
        assert_eq!(std::fs::read(&input).unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "no temporary files left");
        // Checked before any work: an input, a missing folder, a folder named as a file.
        assert!(check_writable(&dir.join("in.csv"), std::slice::from_ref(&input)).unwrap_err().to_string().contains("one of the inputs"));
        let e = check_writable(&dir.join("no-such-folder/out.csv"), &[]).unwrap_err().to_string();
        assert!(e.contains("no-such-folder") && e.contains("does not exist"), "{e}");
        assert!(check_writable(&dir, &[]).unwrap_err().to_string().contains("it is a folder"));
        check_writable(&dir.join("new.csv"), &[]).unwrap();
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "no probe file left");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
