//! The streamed decoding gives the text the whole-file decoding gave, however reads cut it.

use std::io::{Cursor, Read};

use proptest::prelude::*;

use super::*;

/// The text and separator as this reader made them before it streamed: the whole file
/// decoded at once, then marked line by line.
fn whole_file(bytes: &[u8]) -> (String, u8) {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => WINDOWS_1252.decode_without_bom_handling(body).0,
    };
    let separator = if text.lines().take(30).any(|l| l.contains(';')) {
        b';'
    } else {
        b','
    };
    let sep = char::from(separator).to_string();
    let text = text
        .split_inclusive('\n')
        .map(|line| {
            if line.trim().is_empty() {
                format!("{sep}{line}")
            } else {
                line.to_string()
            }
        })
        .collect();
    (text, separator)
}

fn streamed(bytes: &[u8]) -> (String, u8) {
    let (mut text, separator) = super::text(Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    text.read_to_string(&mut out).unwrap();
    (out, separator)
}

/// A source that gives one byte a read, so every character is cut across reads.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((b, rest)), Some(slot)) => {
                *slot = *b;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}

/// Marked a byte at a time, as `BlankLines` over the decoded text of `bytes`.
fn marked_in_trickles(text: &str, separator: u8) -> String {
    let mut lines = BlankLines {
        text: BufReader::with_capacity(1, Trickle(text.as_bytes())),
        marker: Marker {
            separator,
            ..Marker::default()
        },
        ready: Vec::new(),
        given: 0,
        ended: false,
    };
    let mut out = String::new();
    lines.read_to_string(&mut out).unwrap();
    out
}

fn check(bytes: &[u8]) {
    let (expected, separator) = whole_file(bytes);
    assert_eq!(streamed(bytes), (expected.clone(), separator), "{bytes:?}");
    let sniffed = sniff(&mut Trickle(bytes)).unwrap();
    assert_eq!(
        sniffed,
        sniff(&mut Cursor::new(bytes)).unwrap(),
        "{bytes:?}"
    );
    assert_eq!(sniffed.separator, separator, "{bytes:?}");
    let (decoded, utf8) = whole_file_unmarked(bytes);
    assert_eq!(sniffed.utf8, utf8, "{bytes:?}");
    assert_eq!(
        marked_in_trickles(&decoded, separator),
        expected,
        "{bytes:?}"
    );
}

fn whole_file_unmarked(bytes: &[u8]) -> (String, bool) {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(t) => (t.to_string(), true),
        Err(_) => (
            WINDOWS_1252
                .decode_without_bom_handling(body)
                .0
                .into_owned(),
            false,
        ),
    }
}

#[test]
fn encodings_boms_and_blank_lines() {
    for bytes in [
        &b""[..],
        b"\n",
        b"a;b\r\n\r\nc;d\r\n",
        b"a,b\n \t\n\x0b\x0c\nc",
        b"Fagl\xE6rt;7,5\n\xA0\n",
        "Faglært;7,5\n\u{a0}\u{2003}\n\u{85}\n \u{feff}\n".as_bytes(),
        b"\xEF\xBB\xBFa;b\n\n",
        b"\xEF\xBB\xBF\xEF\xBB\xBF\n\n",
        b"\xEF\xBB\xBF\xE6;\n\n",
        b"\xEF\xBB",
        b"\"a\n\n  \nb\";c\n   ",
        b"x\ry\r\r\n",
        b"\xC3",
        b"\xE2\x80\n",
    ] {
        check(bytes);
    }
}

/// The separator is decided by the first 30 lines, in either encoding.
#[test]
fn a_semicolon_after_30_lines_does_not_count() {
    let mut late = "a,b\n".repeat(30).into_bytes();
    late.extend_from_slice(b"c;d\n");
    assert_eq!(streamed(&late).1, b',');
    let mut early = "a,b\n".repeat(29).into_bytes();
    early.extend_from_slice(b"c;d\xE6\n");
    assert_eq!(streamed(&early).1, b';');
    check(&late);
    check(&early);
}

/// Characters cut where one chunk of `sniff` ends and the next begins.
#[test]
fn characters_across_chunks() {
    for pad in CHUNK - 3..=CHUNK + 1 {
        let mut bytes = vec![b'a'; pad];
        bytes.extend_from_slice("æ\n\u{3000}\n€;".as_bytes());
        check(&bytes);
        bytes.push(0xE6);
        check(&bytes);
    }
}

fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::sample::select(vec![
            &b"\n"[..], b"\r\n", b"\r", b" ", b"\t", b";", b",", b"\"", b"a", b"7,5",
            b"\xEF\xBB\xBF", b"\xE6", b"\xA0", b"\x85", b"\xC2\xA0", b"\xC2\x85",
            "\u{3000}".as_bytes(), "\u{2028}".as_bytes(), "ø".as_bytes(), b"\xC3", b"\x80",
        ])
        .prop_map(<[u8]>::to_vec),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn streamed_text_is_the_whole_file_text(pieces in prop::collection::vec(piece(), 0..40)) {
        check(&pieces.concat());
    }
}
