//! The CSV fixture mutated: quoting, separators, line ends, encodings, values at the edges.

use super::{CASES, Fixture, fuzz, mutate::byte_case};

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

pub(super) static CSV_FILE: Fixture = Fixture {
    name: "bymiljoetaten-2026-q1.csv",
    bytes: include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/hmsreg/bymiljoetaten-2026-q1.csv"
    )),
    tokens: CSV,
};

#[test]
fn mutated_csv_never_panics() {
    let tally = fuzz(&CSV_FILE, None, 5, byte_case(&CSV_FILE));
    assert!(tally.cases >= CASES);
}
