//! Reads and checks an uploaded file (blocking): its size, SHA-256, and what it holds.
//!
//! A panic in calamine or the parser (on either thread of [`pipeline`]) is answered as an
//! unreadable file.

use std::io::{Read, Seek, SeekFrom};

use sha2::{Digest, Sha256};

use super::{
    aggregate::Parsed,
    config::HmsregConfig,
    issue::{Issue, Severity},
    parser::Parser,
    pipeline,
};

/// Reads and checks `source` (blocking: call from a blocking thread). Returns the file's
/// SHA-256 and what it holds, or the single issue that made it unreadable.
pub fn read_and_check<R: Read + Seek>(
    mut source: R,
    file_name: &str,
    config: &HmsregConfig,
) -> Result<(String, Parsed), Issue> {
    let unreadable = |m: &str| Issue::file(Severity::Error, "UNREADABLE_FILE", m);
    let size = source
        .seek(SeekFrom::End(0))
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    if size > config.max_file_bytes {
        return Err(Issue::file(
            Severity::Error,
            "FILE_TOO_LARGE",
            format!(
                "the file is {size} bytes; at most {} are accepted",
                config.max_file_bytes
            ),
        ));
    }
    source
        .seek(SeekFrom::Start(0))
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut source, &mut hasher)
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    let sha = hex::encode(hasher.finalize());
    source
        .seek(SeekFrom::Start(0))
        .map_err(|_| unreadable("the uploaded file could not be read"))?;
    // calamine and our parser both read hostile bytes: a panic in either must reject the file
    // with an answer, not take the upload down with it. The closure owns its state, so
    // nothing half-updated is seen after an unwind.
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let parser = Parser::new(&config.worker_key);
        pipeline::read(source, file_name, config.read, parser)
            .map(Parser::finish)
            .map_err(|f| Issue::file(Severity::Error, f.code(), f.to_string()))
    }));
    match read {
        Ok(parsed) => Ok((sha, parsed?)),
        Err(cause) => {
            let cause = cause
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| cause.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic without a message");
            tracing::error!(file_name, sha, cause, "reading an HMSREG file panicked");
            Err(unreadable(
                "the file cannot be read: it is damaged, incomplete, or not really a spreadsheet",
            ))
        }
    }
}
