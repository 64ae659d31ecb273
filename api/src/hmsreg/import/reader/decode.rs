//! CSV text decoded as it is read, never the whole file at once.
//!
//! UTF-8 when the file is valid UTF-8, else Windows-1252 (as Norwegian Excel saves CSV
//! unless told otherwise); a leading UTF-8 BOM dropped; `;` or `,` as the separator; and
//! blank lines kept as rows.

use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};

use encoding_rs::{UTF_8, WINDOWS_1252};
use encoding_rs_io::DecodeReaderBytesBuilder;

use super::{ReadFailure, io_failure};

const BOM: &[u8] = b"\xEF\xBB\xBF";
/// The separator is `;` if one is in this many first lines (decimal commas mean semicolons
/// between values), else `,`.
const SEPARATOR_LINES: usize = 30;
const CHUNK: usize = 64 * 1024;

/// What one pass over the raw bytes tells, holding a chunk of them at a time.
#[derive(Debug, PartialEq, Eq)]
struct Sniffed {
    utf8: bool,
    bom: bool,
    separator: u8,
}

fn read_some(source: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match source.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            other => return other,
        }
    }
}

/// Whether the whole file is UTF-8 (a BOM is UTF-8 too, so it needs no special case), and
/// the separator. `;` and `\n` are the same bytes in UTF-8 and Windows-1252, and no other
/// byte decodes to them in either, so the bytes tell the separator of the decoded text.
fn sniff(source: &mut impl Read) -> io::Result<Sniffed> {
    let mut buf = vec![0; CHUNK];
    // The start of a character the last chunk ended in, moved to the front of `buf`.
    let mut kept = 0;
    let mut head: Vec<u8> = Vec::with_capacity(BOM.len());
    let mut utf8 = true;
    let mut newlines = 0;
    let mut separator = None;
    loop {
        let n = read_some(source, &mut buf[kept..])?;
        if n == 0 {
            utf8 &= kept == 0;
            break;
        }
        let chunk = &buf[kept..kept + n];
        let more = BOM.len() - head.len();
        head.extend(chunk.iter().take(more));
        if separator.is_none() {
            separator = separator_in(chunk, &mut newlines);
        }
        if utf8 {
            let end = kept + n;
            kept = 0;
            match std::str::from_utf8(&buf[..end]) {
                Ok(_) => {}
                Err(e) if e.error_len().is_none() => {
                    let from = e.valid_up_to();
                    buf.copy_within(from..end, 0);
                    kept = end - from;
                }
                Err(_) => utf8 = false,
            }
        }
        if !utf8 && separator.is_some() {
            break;
        }
    }
    Ok(Sniffed {
        utf8,
        bom: head == BOM,
        separator: separator.unwrap_or(b','),
    })
}

/// `;` if this chunk has one before the file's line `SEPARATOR_LINES` ends, `,` if it ends
/// here first; `newlines` counts the line ends of the chunks before.
fn separator_in(chunk: &[u8], newlines: &mut usize) -> Option<u8> {
    for b in chunk {
        match b {
            b';' => return Some(b';'),
            b'\n' => {
                *newlines += 1;
                if *newlines == SEPARATOR_LINES {
                    return Some(b',');
                }
            }
            _ => {}
        }
    }
    None
}

/// The text of `source` as UTF-8, blank lines marked (see [`BlankLines`]), and its separator.
pub(super) fn text<R: Read + Seek>(mut source: R) -> Result<(impl Read, u8), ReadFailure> {
    let sniffed = sniff(&mut source).map_err(|_| io_failure())?;
    // UTF-8's decoder drops one leading BOM; Windows-1252's drops none, so it is passed here.
    let (encoding, start) = match sniffed {
        Sniffed { utf8: true, .. } => (UTF_8, 0),
        Sniffed { bom: true, .. } => (WINDOWS_1252, BOM.len() as u64),
        Sniffed { .. } => (WINDOWS_1252, 0),
    };
    source
        .seek(SeekFrom::Start(start))
        .map_err(|_| io_failure())?;
    let decoded = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .build(source);
    let text = BlankLines {
        text: BufReader::new(decoded),
        marker: Marker {
            separator: sniffed.separator,
            ..Marker::default()
        },
        ready: Vec::new(),
        given: 0,
        ended: false,
    };
    Ok((text, sniffed.separator))
}

/// Puts the separator in front of every blank line (only whitespace, or nothing). The csv
/// crate skips empty lines; a spreadsheet shows them as rows. Kept as a lone separator, record
/// n is line n (plus the line breaks inside quoted values, which the CSV reader counts).
/// Blank lines inside quoted values get one too: the marking of the whole text at once that
/// this replaces did so, and a value must read as it always has.
struct BlankLines<R> {
    text: R,
    marker: Marker,
    /// Text ready for the csv reader, from `given` on.
    ready: Vec<u8>,
    given: usize,
    ended: bool,
}

impl<R: BufRead> Read for BlankLines<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.given == self.ready.len() {
            if self.ended {
                return Ok(0);
            }
            self.ready.clear();
            self.given = 0;
            let chunk = self.text.fill_buf()?;
            if chunk.is_empty() {
                self.marker.end(&mut self.ready);
                self.ended = true;
            } else {
                self.marker.feed(chunk, &mut self.ready);
                let used = chunk.len();
                self.text.consume(used);
            }
        }
        let n = out.len().min(self.ready.len() - self.given);
        out[..n].copy_from_slice(&self.ready[self.given..self.given + n]);
        self.given += n;
        Ok(n)
    }
}

/// The line state of [`BlankLines`], over UTF-8 text in chunks of any size.
#[derive(Default)]
struct Marker {
    separator: u8,
    /// The line so far while it is all whitespace: held back, as the separator may have to
    /// go in front of it.
    held: Vec<u8>,
    /// Bytes still to come of the character at the end of `held`, which starts at `char_at`.
    char_left: usize,
    char_at: usize,
    /// Whether the line has more than whitespace: the rest of it passes as it is.
    in_text: bool,
}

impl Marker {
    fn feed(&mut self, mut chunk: &[u8], out: &mut Vec<u8>) {
        while let Some((&b, rest)) = chunk.split_first() {
            if !self.in_text {
                self.hold(b, out);
                chunk = rest;
                continue;
            }
            match chunk.iter().position(|c| *c == b'\n') {
                Some(at) => {
                    out.extend_from_slice(&chunk[..=at]);
                    chunk = &chunk[at + 1..];
                    self.in_text = false;
                }
                None => {
                    out.extend_from_slice(chunk);
                    chunk = &[];
                }
            }
        }
    }

    /// One byte of a line that is all whitespace so far.
    fn hold(&mut self, b: u8, out: &mut Vec<u8>) {
        self.held.push(b);
        if self.char_left > 0 {
            self.char_left -= 1;
            if self.char_left == 0 {
                let blank = std::str::from_utf8(&self.held[self.char_at..])
                    .is_ok_and(|c| c.chars().all(char::is_whitespace));
                if !blank {
                    self.pass(out);
                }
            }
            return;
        }
        let width = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xFF => 4,
            _ => 1,
        };
        if width > 1 {
            self.char_at = self.held.len() - 1;
            self.char_left = width - 1;
        } else if b == b'\n' {
            out.push(self.separator);
            out.append(&mut self.held);
        } else if !char::from(b).is_whitespace() || b >= 0x80 {
            self.pass(out);
        }
    }

    fn pass(&mut self, out: &mut Vec<u8>) {
        out.append(&mut self.held);
        self.in_text = true;
    }

    /// The end of the text: a last line without a line break is blank too if it is all
    /// whitespace.
    fn end(&mut self, out: &mut Vec<u8>) {
        if !self.held.is_empty() {
            if self.char_left == 0 {
                out.push(self.separator);
            }
            out.append(&mut self.held);
        }
    }
}

#[cfg(test)]
#[path = "decode_tests.rs"]
mod tests;
