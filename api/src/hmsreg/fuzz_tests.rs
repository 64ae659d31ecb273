//! Hostile uploads: every HMSREG fixture, mutated thousands of ways, must come back as a
//! verdict (read, or rejected with a code and a message) and never as a panic.
//!
//! Each fixture gets its own fixed seed and no failure file, so a run in CI checks the same
//! cases every time and leaves nothing behind. `read_and_check` turns a panic into
//! `UNREADABLE_FILE`, which would hide a panic from a test that only looked at verdicts, so
//! every case is also read with `reader::read` directly and any panic is caught and blamed
//! (see `culprit`): one in our code fails the test; one in calamine is accepted only when
//! the verdict for the same bytes is `UNREADABLE_FILE`.
//!
//! What the fuzzing found while this test was written (calamine 0.38.0, zip 9.4.1):
//! - `parse_hours` panicked on hours text past `Decimal`'s 28 digits: fixed in `parse`.
//! - calamine aborted the process, out of memory, on a looping sector chain, a Dimensions
//!   record of 4 billion rows, and two cells far apart in an .xls. An abort is not a panic
//!   and nothing catches it, so `xls_check` refuses such files before calamine sees them.
//! - calamine panicked, and `read_and_check` answered `UNREADABLE_FILE`, on an .xls whose
//!   BoundSheet offset lies past the workbook stream (`xls.rs:633`, kept as
//!   `a_panic_in_calamine_becomes_unreadable_file`), whose Dimensions record ends before it
//!   starts (`xls.rs:665`, an overflow check of debug builds; `xls_check` refuses it, as a
//!   release build would wrap into a huge reservation), and whose FAT lies past the end of
//!   the file (`cfb.rs:320`, `utils.rs:29`; refused by `xls_check` now).
//!
//! With the seeds below no case currently panics calamine; the tally of each fixture is
//! printed (run with `--nocapture`) should an upgrade change that.

use std::{
    backtrace::Backtrace,
    cell::{Cell as Flag, RefCell},
    collections::BTreeMap,
    io::{Cursor, Read, Write},
    panic::{self, AssertUnwindSafe},
    sync::{LazyLock, Once},
    time::Instant,
};

use calamine::Xls;
use proptest::{
    prelude::*,
    sample::{Index, select},
    test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner},
};
use zip::{CompressionMethod, ZipArchive, ZipWriter, write::SimpleFileOptions};

use super::{
    parse::{Parser, Severity},
    reader::{self, ReadLimits},
    service::{self, HmsregConfig},
};
use crate::config::Limits;

/// Cases per fixture: five fixtures make 10 000, some 10 to 15 seconds in a debug build on
/// two cores (the .xls cases take longest: a sheet may legitimately span 16 million cells).
const CASES: u32 = 2000;

const KEY: &[u8] = b"fuzz-test-worker-key-of-32-bytes";

struct Fixture {
    name: &'static str,
    bytes: &'static [u8],
    /// Byte strings that mean something to this format's reader, inserted as well as random
    /// bytes: random bytes alone rarely get past the first check of a structured format.
    tokens: &'static [&'static [u8]],
}

/// Edge values of any format: lengths, counts and offsets at their limits, and text edges.
const COMMON: &[&[u8]] = &[
    b"\0",
    b"\xFF",
    b"\xFF\xFF",
    b"\xFF\xFF\xFF\xFF",
    b"\xFF\xFF\xFF\x7F",
    b"\x00\x00\x00\x80",
    b"\xEF\xBB\xBF",
    b"\xC3",
    b"\xF0\x9F\x98",
    b"-1",
    b"0",
    b"4294967295",
    b"18446744073709551615",
    b"1e308",
    b"-1e400",
    b"NaN",
];

/// XML in the parts of an .xlsx or .ods: broken structure, out-of-range references and counts,
/// and values of the wrong type.
const XML: &[&[u8]] = &[
    b"<",
    b">",
    b"\"",
    b"/>",
    b"</row>",
    b"</sheetData>",
    b"&#0;",
    b"&#xFFFFFFFF;",
    b"&amp",
    b"&unknown;",
    b"<![CDATA[",
    b"<!DOCTYPE x [<!ENTITY a \"aaaaaaaa\">]>",
    b"<c r=\"XFD1048576\"><v>1</v></c>",
    b"<c r=\"A1048577\"><v>1</v></c>",
    b"<c r=\"A0\"><v>1</v></c>",
    b"<c r=\"\"><v>1</v></c>",
    b"<c r=\"A1\" t=\"s\"><v>4294967295</v></c>",
    b"<c r=\"B2\" t=\"s\"><v>-1</v></c>",
    b"<c r=\"C3\" s=\"99999\"><v>45000</v></c>",
    b"<c r=\"D4\" t=\"d\"><v>99999-99-99T99:99</v></c>",
    b"<c r=\"E5\" t=\"e\"><v>#WHAT?</v></c>",
    b"<c r=\"F6\" t=\"b\"><v>2</v></c>",
    b"<c r=\"G7\" t=\"inlineStr\"><is><t>x</t></is></c>",
    b"<c r=\"H8\"><v>1e400</v></c>",
    b"<row r=\"0\">",
    b"<row r=\"4294967295\">",
    b"<dimension ref=\"A1:XFD1048576\"/>",
    b"<mergeCell ref=\"A1:XFD1048576\"/>",
    b"<numFmt numFmtId=\"4294967295\" formatCode=\"yyyy-mm-dd\"/>",
    b"<si><t>",
    b"<sst count=\"4294967295\" uniqueCount=\"4294967295\">",
    b"<sheet name=\"\" sheetId=\"0\" r:id=\"rId99\"/>",
    b"Target=\"../../../../etc/passwd\"",
    b"Target=\"\"",
    b"table:number-columns-repeated=\"1073741823\"",
    b"table:number-columns-repeated=\"0\"",
    b"table:number-rows-repeated=\"1048576\"",
    b"table:number-rows-repeated=\"-1\"",
    b"office:value-type=\"float\" office:value=\"x\"",
    b"office:value-type=\"date\" office:date-value=\"99999-99-99\"",
    b"office:value-type=\"percentage\" office:value=\"1e400\"",
    b"<table:table-cell/>",
    b"<table:table-row>",
    b"</table:table>",
    b"<text:p>",
    b"<text:s text:c=\"4294967295\"/>",
];

/// BIFF records and CFB sectors in an .xls: record lengths, sector numbers and string sizes
/// at their limits.
const BINARY: &[&[u8]] = &[
    b"\x00\x00",
    b"\x09\x08\x10\x00",
    b"\x0A\x00\x00\x00",
    b"\xFC\x00\xFF\xFF",
    b"\xFD\x00\x0A\x00",
    b"\x03\x02\x0E\x00",
    b"\x7E\x02\x0A\x00",
    b"\xBD\x00\xFF\xFF",
    b"\xFE\xFF\xFF\xFF",
    b"\xFD\xFF\xFF\xFF",
    b"\xFA\xFF\xFF\xFF",
    b"\x00\x10\x00\x00",
    b"\xFF\xFF\x00\x00\xFF\x00",
];

/// More separators than the column limit (200) allows.
const WIDE_ROW: [u8; 210] = [b';'; 210];

/// CSV: quoting, separators, line ends, and values at the edges of what the parser accepts.
const CSV: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b";",
    b",",
    b"\n",
    b"\r",
    b"\r\n",
    b"\n\n\n",
    &WIDE_ROW,
    b"\xE6\xF8\xE5",
    b"\xC3\xA6",
    b"Timer",
    b"Antall timer",
    b"Kategori",
    b"Stillingskategori",
    b"Fagl\xE6rt",
    b"L\xE6rling",
    b"Ufagl\xE6rt",
    b"2026-13",
    b"00.2026",
    b"31.02.2026",
    b"9999-12-31",
    b"-0",
    b"0,001",
    b"744,01",
    b"1 000 000 000 000",
    b"9223372036854775807",
    b"79228162514264337593543950335",
    b"-79228162514264337593543950335",
    b"0.0000000000000000000000000001",
    b"1e10",
    b"inf",
    b"=1/0",
    b"#DIV/0!",
];

static XLSX: Fixture = Fixture {
    name: "oslobygg-2026-mars-april.xlsx",
    bytes: include_bytes!("../../../fixtures/hmsreg/oslobygg-2026-mars-april.xlsx"),
    tokens: XML,
};

static ODS: Fixture = Fixture {
    name: "timer.ods",
    bytes: include_bytes!("../../../fixtures/hmsreg/formats/timer.ods"),
    tokens: XML,
};

static XLS: Fixture = Fixture {
    name: "timer.xls",
    bytes: include_bytes!("../../../fixtures/hmsreg/formats/timer.xls"),
    tokens: BINARY,
};

/// An encrypted workbook is a CFB container like an .xls; mutated, it reaches the .xls
/// reader with a name that says .xlsx.
static ENCRYPTED: Fixture = Fixture {
    name: "passordbeskyttet.xlsx",
    bytes: include_bytes!("../../../fixtures/hmsreg/bad/passordbeskyttet.xlsx"),
    tokens: BINARY,
};

static CSV_FILE: Fixture = Fixture {
    name: "bymiljoetaten-2026-q1.csv",
    bytes: include_bytes!("../../../fixtures/hmsreg/bymiljoetaten-2026-q1.csv"),
    tokens: CSV,
};

/// One change to a run of bytes. Positions are fractions of the current length, so an edit
/// stays meaningful after earlier edits have made the bytes shorter or longer.
#[derive(Clone, Debug)]
enum Edit {
    /// XOR one byte with a non-zero mask.
    Flip(Index, u8),
    /// Cut everything from here on.
    Truncate(Index),
    Insert(Index, Vec<u8>),
    /// Write bytes over what is there, keeping the length: offsets in a container stay
    /// valid, so the change reaches what the container holds.
    Overwrite(Index, Vec<u8>),
    /// Remove up to this many bytes from here.
    Delete(Index, usize),
    /// Put a token in place of one value: a CSV field, an XML text or attribute value (the
    /// bytes between two of `;,\n\r<>"`). Inserted at random places, a token mostly breaks
    /// the syntax around it; in place of a value it reaches the parser's checks of values.
    Value(Index, Vec<u8>),
}

const DELIMITERS: &[u8] = b";,\n\r<>\"";

/// The spans between delimiters, including empty ones.
fn values(bytes: &[u8]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        if DELIMITERS.contains(b) {
            spans.push((start, i));
            start = i + 1;
        }
    }
    spans.push((start, bytes.len()));
    spans
}

/// One change to the parts of a zip-based workbook; the zip is written anew afterwards.
#[derive(Clone, Debug)]
enum Surgery {
    Remove(Index),
    /// The two parts keep their names and trade contents.
    Swap(Index, Index),
    /// Edits to the part's uncompressed content (the XML), which raw edits of the zip rarely
    /// reach: they mostly break the compression or the directory first.
    Edit(Index, Vec<Edit>),
}

#[derive(Clone, Debug)]
enum Case {
    Bytes(Vec<Edit>),
    Zip(Vec<Surgery>),
}

fn edit(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Edit> + Clone {
    prop_oneof![
        3 => (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        1 => any::<Index>().prop_map(Edit::Truncate),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..32))
            .prop_map(|(at, run)| Edit::Insert(at, run)),
        2 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Insert(at, token.to_vec())),
        3 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Insert(at, token.to_vec())),
        2 => (any::<Index>(), 1..64usize).prop_map(|(at, n)| Edit::Delete(at, n)),
        2 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
        3 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
        2 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Value(at, token.to_vec())),
        4 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Value(at, token.to_vec())),
    ]
}

fn edits(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Vec<Edit>> + Clone {
    prop::collection::vec(edit(tokens), 1..6)
}

fn byte_case(fixture: &'static Fixture) -> BoxedStrategy<Case> {
    edits(fixture.tokens).prop_map(Case::Bytes).boxed()
}

/// Edits that keep every offset of a container (a CFB file's sectors) where it was.
fn in_place_edit(tokens: &'static [&'static [u8]]) -> impl Strategy<Value = Edit> + Clone {
    prop_oneof![
        2 => (any::<Index>(), 1..=255u8).prop_map(|(at, mask)| Edit::Flip(at, mask)),
        1 => (any::<Index>(), select(COMMON))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
        2 => (any::<Index>(), select(tokens))
            .prop_map(|(at, token)| Edit::Overwrite(at, token.to_vec())),
    ]
}

/// Most cases edit a container in place, so they get past it to the workbook inside;
/// the rest also shift and cut it.
fn container_case(fixture: &'static Fixture) -> BoxedStrategy<Case> {
    prop_oneof![
        3 => prop::collection::vec(in_place_edit(fixture.tokens), 1..6).prop_map(Case::Bytes),
        1 => edits(fixture.tokens).prop_map(Case::Bytes),
    ]
    .boxed()
}

/// Half the cases edit the zip's bytes, half take the workbook apart and put it together
/// changed.
fn zip_case(fixture: &'static Fixture) -> BoxedStrategy<Case> {
    let surgery = prop_oneof![
        1 => any::<Index>().prop_map(Surgery::Remove),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Surgery::Swap(a, b)),
        3 => (any::<Index>(), edits(fixture.tokens)).prop_map(|(at, e)| Surgery::Edit(at, e)),
    ];
    prop_oneof![
        edits(fixture.tokens).prop_map(Case::Bytes),
        prop::collection::vec(surgery, 1..4).prop_map(Case::Zip),
    ]
    .boxed()
}

fn apply(bytes: &mut Vec<u8>, edits: &[Edit]) {
    for edit in edits {
        let len = bytes.len();
        match edit {
            Edit::Flip(at, mask) if len > 0 => bytes[at.index(len)] ^= mask,
            Edit::Flip(..) => {}
            Edit::Truncate(at) => bytes.truncate(at.index(len + 1)),
            Edit::Insert(at, run) => {
                let at = at.index(len + 1);
                bytes.splice(at..at, run.iter().copied());
            }
            Edit::Delete(at, n) if len > 0 => {
                let at = at.index(len);
                bytes.drain(at..(at + n).min(len));
            }
            Edit::Delete(..) => {}
            Edit::Overwrite(at, run) if len > 0 => {
                let at = at.index(len);
                let end = (at + run.len()).min(len);
                bytes[at..end].copy_from_slice(&run[..end - at]);
            }
            Edit::Overwrite(..) => {}
            Edit::Value(at, token) => {
                let spans = values(bytes);
                let (start, end) = spans[at.index(spans.len())];
                bytes.splice(start..end, token.iter().copied());
            }
        }
    }
}

type Parts = Vec<(String, Vec<u8>)>;

/// The fixture's parts in their order, uncompressed.
fn parts_of(bytes: &[u8]) -> Parts {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("the fixture is a zip");
    (0..archive.len())
        .map(|i| {
            let mut part = archive.by_index(i).expect("a part of the fixture");
            let mut content = Vec::new();
            part.read_to_end(&mut content).expect("the part inflates");
            (part.name().expect("a part name").to_string(), content)
        })
        .collect()
}

static XLSX_PARTS: LazyLock<Parts> = LazyLock::new(|| parts_of(XLSX.bytes));
static ODS_PARTS: LazyLock<Parts> = LazyLock::new(|| parts_of(ODS.bytes));

fn rebuild(parts: &Parts) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, content) in parts {
        // OpenDocument wants `mimetype` stored; keep the rest as an office suite writes it.
        let method = if name == "mimetype" {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        let options = SimpleFileOptions::default().compression_method(method);
        zip.start_file(name.as_str(), options)
            .expect("a part starts");
        zip.write_all(content).expect("a part is written");
    }
    zip.finish().expect("the zip is finished").into_inner()
}

fn operate(parts: &Parts, surgeries: &[Surgery]) -> Vec<u8> {
    let mut parts = parts.clone();
    for surgery in surgeries {
        let len = parts.len();
        if len == 0 {
            break;
        }
        match surgery {
            Surgery::Remove(at) => {
                parts.remove(at.index(len));
            }
            Surgery::Swap(a, b) => {
                let (a, b) = (a.index(len), b.index(len));
                let first = std::mem::take(&mut parts[a].1);
                parts[a].1 = std::mem::replace(&mut parts[b].1, first);
            }
            Surgery::Edit(at, edits) => apply(&mut parts[at.index(len)].1, edits),
        }
    }
    rebuild(&parts)
}

fn bytes_of(fixture: &Fixture, parts: Option<&Parts>, case: &Case) -> Vec<u8> {
    match (case, parts) {
        (Case::Bytes(edits), _) => {
            let mut bytes = fixture.bytes.to_vec();
            apply(&mut bytes, edits);
            bytes
        }
        (Case::Zip(surgeries), Some(parts)) => operate(parts, surgeries),
        (Case::Zip(_), None) => unreachable!("zip surgery only on zip-based fixtures"),
    }
}

fn config() -> HmsregConfig {
    // The limits a production server starts with, so the cases meet the same checks.
    let limits = Limits::default();
    HmsregConfig {
        worker_key: KEY.to_vec(),
        shares: Default::default(),
        read: ReadLimits {
            max_rows: limits.sheet_rows,
            max_columns: limits.sheet_columns,
        },
        max_file_bytes: limits.upload_bytes as u64,
    }
}

thread_local! {
    /// Set while this thread runs a case: its panics are expected and caught, and the
    /// default hook would print each one with a backtrace hint between the test results.
    static QUIET: Flag<bool> = const { Flag::new(false) };
    /// Where this thread's last quiet panic happened and its backtrace, from the hook: the
    /// payload has neither.
    static PANIC: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Installs, once per test binary, a hook that stays silent for quiet threads and passes
/// every other panic to the previous hook, so other tests running alongside report as usual.
fn install_quiet_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if QUIET.with(Flag::get) {
                let place = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_else(|| "(unknown)".into());
                let backtrace = Backtrace::force_capture().to_string();
                PANIC.with(|p| *p.borrow_mut() = Some((place, backtrace)));
            } else {
                previous(info);
            }
        }));
    });
}

/// Whose code a caught panic is.
#[derive(Debug, PartialEq)]
enum Culprit {
    /// Our code, or a library our code calls (a panicking `Decimal` product is our misuse).
    Ours,
    /// calamine, or what it calls (zip, quick-xml), on bytes we handed it.
    Calamine,
}

fn is_ours(symbol: &str) -> bool {
    symbol.starts_with("api::") || symbol.starts_with("<api::")
}

fn is_runtime(symbol: &str) -> bool {
    [
        "std::", "core::", "alloc::", "<std::", "<core::", "<alloc::", "__rust", "rust_",
    ]
    .iter()
    .any(|p| symbol.starts_with(p))
}

/// The file a panic happened in says too little: a slice index in our code is reported
/// there, but `Decimal * Decimal` reports its panic inside rust_decimal. The backtrace says
/// which of our functions made the call that panicked, and whom it called.
fn culprit(place: &str, backtrace: &str) -> Culprit {
    // The symbol lines, innermost first: `  12: calamine::cfb::Cfb::new`.
    let symbols: Vec<&str> = backtrace
        .lines()
        .filter_map(|line| {
            let (number, symbol) = line.trim_start().split_once(": ")?;
            number.parse::<u32>().ok().map(|_| symbol)
        })
        .collect();
    // Past the capture and the hook, which are on top.
    let from = symbols
        .iter()
        .rposition(|s| s.contains("install_quiet_hook"))
        .map_or(0, |i| i + 1);
    let symbols = &symbols[from..];
    let Some(caller) = symbols.iter().position(|s| is_ours(s)) else {
        // No symbols (a build without them): only calamine's own files blame calamine.
        return if place.contains("/calamine-") {
            Culprit::Calamine
        } else {
            Culprit::Ours
        };
    };
    let callee = symbols[..caller].iter().rev().find(|s| !is_runtime(s));
    match callee {
        Some(c) if c.starts_with("calamine::") || c.starts_with("<calamine::") => Culprit::Calamine,
        _ => Culprit::Ours,
    }
}

/// A caught panic: its message, where it happened, and whose code it is.
#[derive(Debug)]
struct Caught {
    message: String,
    place: String,
    culprit: Culprit,
}

fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    PANIC.with(|p| p.borrow_mut().take());
    QUIET.with(|q| q.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        let (place, backtrace) = PANIC
            .with(|p| p.borrow_mut().take())
            .unwrap_or_else(|| ("(unknown)".into(), String::new()));
        Caught {
            message: payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default(),
            culprit: culprit(&place, &backtrace),
            place,
        }
    })
}

#[derive(Default)]
struct Tally {
    cases: u32,
    read: u32,
    /// Rejections by code.
    rejected: BTreeMap<String, u32>,
    /// Panics in calamine that `read_and_check` turned into `UNREADABLE_FILE`, by place.
    calamine_panics: BTreeMap<String, (u32, String)>,
}

fn check(fixture: &Fixture, bytes: &[u8], tally: &RefCell<Tally>) -> Result<(), TestCaseError> {
    let config = config();
    let verdict = quietly(|| service::read_and_check(Cursor::new(bytes), fixture.name, &config))
        .map_err(|c| {
            TestCaseError::fail(format!(
                "read_and_check let a panic through at {}: {}",
                c.place, c.message
            ))
        })?;
    if let Err(issue) = &verdict {
        prop_assert_eq!(issue.severity, Severity::Error);
        prop_assert!(!issue.code.is_empty(), "a rejection without a code");
        prop_assert!(
            !issue.message.trim().is_empty(),
            "{} without a message",
            issue.code
        );
    }

    // The same bytes without the safety net of `read_and_check`.
    let direct = quietly(|| {
        let mut parser = Parser::new(KEY);
        reader::read(Cursor::new(bytes), fixture.name, config.read, &mut parser)
            .map(|()| parser.finish())
    });
    let mut tally = tally.borrow_mut();
    tally.cases += 1;
    match (direct, &verdict) {
        (Ok(Ok(_)), Ok(_)) => tally.read += 1,
        (Ok(Err(failure)), Err(issue)) => {
            prop_assert_eq!(failure.code(), issue.code.as_str());
            *tally.rejected.entry(issue.code.clone()).or_default() += 1;
        }
        (Ok(direct), verdict) => {
            return Err(TestCaseError::fail(format!(
                "reader::read said {:?} but read_and_check said {:?}",
                direct.map(|_| "read"),
                verdict.as_ref().map(|_| "read")
            )));
        }
        (Err(caught), verdict) => {
            prop_assert_eq!(
                &caught.culprit,
                &Culprit::Calamine,
                "our code panicked at {}: {}",
                caught.place,
                caught.message
            );
            let code = verdict.as_ref().err().map(|i| i.code.as_str());
            prop_assert_eq!(
                code,
                Some("UNREADABLE_FILE"),
                "a panic at {} ({}) was not turned into UNREADABLE_FILE",
                caught.place,
                caught.message
            );
            *tally.rejected.entry("UNREADABLE_FILE".into()).or_default() += 1;
            let seen = tally
                .calamine_panics
                .entry(caught.place)
                .or_insert((0, caught.message));
            seen.0 += 1;
        }
    }
    Ok(())
}

/// Runs `CASES` mutations of `fixture` from a fixed seed and returns what they came to.
/// `parts` are the fixture's parts when it is zip-based (and `strategy` may take it apart).
fn fuzz(
    fixture: &'static Fixture,
    parts: Option<&Parts>,
    seed: u8,
    strategy: BoxedStrategy<Case>,
) -> Tally {
    install_quiet_hook();
    let config = Config {
        cases: CASES,
        failure_persistence: None,
        // Shrinking a failure down to one edit is worth some time; it only runs on failure.
        max_shrink_iters: 2048,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let tally = RefCell::new(Tally::default());
    let started = Instant::now();
    let outcome = runner.run(&strategy, |case| {
        let bytes = bytes_of(fixture, parts, &case);
        check(fixture, &bytes, &tally)
    });
    let took = started.elapsed();
    if let Err(failure) = outcome {
        panic!("{}: {failure}", fixture.name);
    }
    let tally = tally.into_inner();
    println!(
        "{}: {} cases in {took:.1?}: {} read, rejected {:?}, panics in calamine {:?}",
        fixture.name, tally.cases, tally.read, tally.rejected, tally.calamine_panics
    );
    tally
}

#[test]
fn mutated_xlsx_never_panics() {
    let tally = fuzz(&XLSX, Some(&XLSX_PARTS), 1, zip_case(&XLSX));
    assert!(tally.cases >= CASES);
}

#[test]
fn mutated_ods_never_panics() {
    let tally = fuzz(&ODS, Some(&ODS_PARTS), 2, zip_case(&ODS));
    assert!(tally.cases >= CASES);
}

#[test]
fn mutated_xls_never_panics() {
    let tally = fuzz(&XLS, None, 3, container_case(&XLS));
    assert!(tally.cases >= CASES);
}

#[test]
fn mutated_encrypted_workbook_never_panics() {
    let tally = fuzz(&ENCRYPTED, None, 4, container_case(&ENCRYPTED));
    assert!(tally.cases >= CASES);
}

#[test]
fn mutated_csv_never_panics() {
    let tally = fuzz(&CSV_FILE, None, 5, byte_case(&CSV_FILE));
    assert!(tally.cases >= CASES);
}

/// The mutations must actually reach the readers: unchanged, every fixture is read or
/// refused for what it is, and the wrapper adds nothing to a clean read.
#[test]
fn fixtures_unmutated_read_as_before() {
    let config = config();
    for fixture in [&XLSX, &ODS, &XLS, &CSV_FILE] {
        let verdict = service::read_and_check(Cursor::new(fixture.bytes), fixture.name, &config);
        let (_, parsed) = verdict.unwrap_or_else(|i| panic!("{}: {i:?}", fixture.name));
        assert!(parsed.sheets_with_header > 0, "{}", fixture.name);
    }
    let verdict = service::read_and_check(Cursor::new(ENCRYPTED.bytes), ENCRYPTED.name, &config);
    assert_eq!(
        verdict.err().map(|i| i.code),
        Some("PASSWORD_PROTECTED".into())
    );
    // The rebuilt zips are still workbooks, so a rejected surgery case is the surgery's doing.
    for (fixture, parts) in [(&XLSX, &*XLSX_PARTS), (&ODS, &*ODS_PARTS)] {
        let bytes = rebuild(parts);
        let verdict = service::read_and_check(Cursor::new(bytes), fixture.name, &config);
        assert!(
            verdict.is_ok(),
            "{} rebuilt: {:?}",
            fixture.name,
            verdict.err()
        );
    }
}

fn verdict_code(bytes: Vec<u8>, name: &str) -> Option<String> {
    service::read_and_check(Cursor::new(bytes), name, &config())
        .err()
        .map(|i| i.code)
}

/// A container whose header puts the FAT in a sector past the file's end: calamine 0.38
/// slices what it read at the sector's start and panics (`cfb.rs`, "slice index starts at
/// 1536 but ends at 1024").
fn fat_past_the_end() -> Vec<u8> {
    let mut cfb = vec![0u8; 1536];
    cfb[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    cfb[24..34].copy_from_slice(&[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0]);
    cfb[44..48].copy_from_slice(&1u32.to_le_bytes());
    for at in [60, 68] {
        cfb[at..at + 4].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
    }
    cfb[76..512].fill(0xFF);
    cfb[76..80].copy_from_slice(&3u32.to_le_bytes());
    cfb
}

/// The fuzz tests lean on telling our panics from calamine's: check the three kinds.
#[test]
fn panics_are_blamed_on_the_right_code() {
    use calamine::Reader;
    install_quiet_hook();
    let ours = quietly(|| {
        let empty: &[u8] = &[];
        empty[std::hint::black_box(1)]
    })
    .expect_err("an index past the end panics");
    assert_eq!(ours.culprit, Culprit::Ours, "{ours:?}");
    let misuse = quietly(|| rust_decimal::Decimal::MAX * rust_decimal::Decimal::ONE_HUNDRED)
        .expect_err("the product overflows");
    assert_eq!(misuse.culprit, Culprit::Ours, "{misuse:?}");
    // Should a calamine upgrade stop panicking here, find another of its panics for this.
    let cfb = fat_past_the_end();
    let theirs = quietly(|| Xls::new(Cursor::new(cfb.clone())).map(|_| ()))
        .expect_err("calamine 0.38 panics on this container");
    assert_eq!(theirs.culprit, Culprit::Calamine, "{theirs:?}");
    // Our reader's chain check refuses it before calamine sees it.
    assert_eq!(
        verdict_code(cfb, "kort.xls").as_deref(),
        Some("UNREADABLE_FILE")
    );
}

/// A BoundSheet record that puts its sheet past the end of the workbook stream: calamine
/// 0.38 slices the stream there and panics (`xls.rs`, "range start index ... out of range"),
/// found by the fuzzing. `read_and_check` answers with `UNREADABLE_FILE`.
#[test]
fn a_panic_in_calamine_becomes_unreadable_file() {
    install_quiet_hook();
    let mut xls = XLS.bytes.to_vec();
    let name: &[u8] = b"\x85\x00";
    let at = xls
        .windows(2)
        .position(|w| w == name)
        .expect("timer.xls has a BoundSheet record")
        + 4;
    xls[at..at + 4].copy_from_slice(&0xFFFF_0000u32.to_le_bytes());
    let direct = quietly(|| {
        let mut parser = Parser::new(KEY);
        reader::read(Cursor::new(&xls), XLS.name, config().read, &mut parser)
    })
    .expect_err("calamine 0.38 panics on this workbook");
    assert_eq!(direct.culprit, Culprit::Calamine, "{direct:?}");
    let issue = quietly(|| service::read_and_check(Cursor::new(&xls), XLS.name, &config()))
        .expect("read_and_check catches the panic")
        .expect_err("the file is refused");
    assert_eq!(issue.code, "UNREADABLE_FILE");
    assert!(issue.message.contains("damaged"), "{}", issue.message);
}
