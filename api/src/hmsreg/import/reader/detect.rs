//! Tells a file's format from its first bytes and its name.
//!
//! Refuses encrypted workbooks, and .xls files calamine could not read in bounded memory.

use std::io::{Read, Seek};

use super::{ReadFailure, damaged, io_failure, rewind, xls_check};

#[derive(Debug, PartialEq, Eq)]
pub(super) enum Format {
    Xlsx,
    Xls,
    Ods,
    Csv,
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Encrypted Office files are an OLE container with this stream (its name in UTF-16LE).
fn encrypted_package_marker() -> Vec<u8> {
    "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The format of `source`, which is left at its start.
pub(super) fn detect<R: Read + Seek>(
    source: &mut R,
    file_name: &str,
) -> Result<Format, ReadFailure> {
    let mut head = Vec::with_capacity(4096);
    source
        .by_ref()
        .take(4096)
        .read_to_end(&mut head)
        .map_err(|_| io_failure())?;
    rewind(source)?;
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    if head.is_empty() {
        return Err(ReadFailure::Unreadable("the file is empty".into()));
    }
    if head.starts_with(b"PK\x03\x04") {
        let ods =
            ext == "ods" || contains(&head, b"application/vnd.oasis.opendocument.spreadsheet");
        return Ok(if ods { Format::Ods } else { Format::Xlsx });
    }
    if head.starts_with(&CFB_MAGIC) {
        let mut all = Vec::new();
        source.read_to_end(&mut all).map_err(|_| io_failure())?;
        rewind(source)?;
        if contains(&all, &encrypted_package_marker()) {
            return Err(ReadFailure::PasswordProtected);
        }
        // calamine would take memory without bound from some damaged files; see `xls_check`.
        if !xls_check::is_bounded(&all) {
            return Err(damaged("an .xls workbook"));
        }
        return Ok(Format::Xls);
    }
    // CSV by name (or no name), and only if it is text.
    if matches!(ext.as_str(), "csv" | "txt" | "") && !head.contains(&0) {
        return Ok(Format::Csv);
    }
    Err(ReadFailure::Unreadable(format!(
        "'{file_name}' is not a spreadsheet (.xlsx, .xlsm, .xls, .ods) or a CSV file"
    )))
}
