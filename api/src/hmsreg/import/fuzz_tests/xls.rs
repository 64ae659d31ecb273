//! Mutated CFB containers (an .xls, an encrypted workbook) and the calamine panics found so.

use std::io::Cursor;

use calamine::Xls;

use super::{
    CASES, Fixture, KEY, Parser, config, fuzz,
    mutate::container_case,
    panics::{Culprit, install_quiet_hook, quietly},
    reader, service, verdict_code,
};

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

pub(super) static XLS: Fixture = Fixture {
    name: "timer.xls",
    bytes: include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hmsreg/formats/timer.xls"
    )),
    tokens: BINARY,
};

/// An encrypted workbook is a CFB container like an .xls; mutated, it reaches the .xls
/// reader with a name that says .xlsx.
pub(super) static ENCRYPTED: Fixture = Fixture {
    name: "passordbeskyttet.xlsx",
    bytes: include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hmsreg/bad/passordbeskyttet.xlsx"
    )),
    tokens: BINARY,
};

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
