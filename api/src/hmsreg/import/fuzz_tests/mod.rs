//! Hostile uploads: every HMSREG fixture, mutated thousands of ways, gets a verdict, not a panic.
//!
//! A verdict is read, or rejected with a code and a message. Each format's fixtures, tokens
//! and tests are in `zip` (.xlsx, .ods), `xls` and `csv`; the mutations in `mutate`; the
//! blame of a panic in `panics`.
//!
//! Each fixture gets its own fixed seed and no failure file, so a run in CI checks the same
//! cases every time and leaves nothing behind. `read_and_check` turns a panic into
//! `UNREADABLE_FILE`, which would hide a panic from a test that only looked at verdicts, so
//! every case is also read with `reader::read` directly and any panic is caught and blamed
//! (see `culprit`): one in our code fails the test; one in calamine is accepted only when
//! the verdict for the same bytes is `UNREADABLE_FILE`.
//!
//! What the fuzzing found while this test was written (calamine 0.38.0, zip 9.4.1):
//! - `parse_hours` panicked on hours text past `Decimal`'s 28 digits: fixed in `cells`.
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

mod csv;
mod mutate;
mod panics;
mod xls;
mod zip;

use std::{cell::RefCell, collections::BTreeMap, io::Cursor, time::Instant};

use proptest::{
    prelude::*,
    test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner},
};

use super::{
    Parser, Severity,
    reader::{self, ReadLimits},
    service::{self, HmsregConfig},
};
use crate::config::Limits;

use panics::{Culprit, install_quiet_hook, quietly};
use zip::Parts;

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

/// The mutations must actually reach the readers: unchanged, every fixture is read or
/// refused for what it is, and the wrapper adds nothing to a clean read.
#[test]
fn fixtures_unmutated_read_as_before() {
    let config = config();
    for fixture in [&zip::XLSX, &zip::ODS, &xls::XLS, &csv::CSV_FILE] {
        let verdict = service::read_and_check(Cursor::new(fixture.bytes), fixture.name, &config);
        let (_, parsed) = verdict.unwrap_or_else(|i| panic!("{}: {i:?}", fixture.name));
        assert!(parsed.sheets_with_header > 0, "{}", fixture.name);
    }
    let verdict = service::read_and_check(
        Cursor::new(xls::ENCRYPTED.bytes),
        xls::ENCRYPTED.name,
        &config,
    );
    assert_eq!(
        verdict.err().map(|i| i.code),
        Some("PASSWORD_PROTECTED".into())
    );
    // The rebuilt zips are still workbooks, so a rejected surgery case is the surgery's doing.
    for (fixture, parts) in [
        (&zip::XLSX, &*zip::XLSX_PARTS),
        (&zip::ODS, &*zip::ODS_PARTS),
    ] {
        let bytes = zip::rebuild(parts);
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

/// One mutated file: its bytes edited, or (zip-based fixtures) its parts operated on.
#[derive(Clone, Debug)]
enum Case {
    Bytes(Vec<mutate::Edit>),
    Zip(Vec<zip::Surgery>),
}

fn bytes_of(fixture: &Fixture, parts: Option<&zip::Parts>, case: &Case) -> Vec<u8> {
    match (case, parts) {
        (Case::Bytes(edits), _) => {
            let mut bytes = fixture.bytes.to_vec();
            mutate::apply(&mut bytes, edits);
            bytes
        }
        (Case::Zip(surgeries), Some(parts)) => zip::operate(parts, surgeries),
        (Case::Zip(_), None) => unreachable!("zip surgery only on zip-based fixtures"),
    }
}
