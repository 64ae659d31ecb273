//! Column letters, by rust_xlsxwriter and as counted by hand.

use super::*;

/// The letters as this reader worked them out before it used rust_xlsxwriter's.
fn by_hand(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap()
}

#[test]
fn letters_count_like_a_spreadsheet() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

/// Past rust_xlsxwriter's u16 too, up to the largest index a reader can report.
#[test]
fn letters_are_the_same_as_counted_by_hand() {
    for index in (0..70_000).chain([u32::from(u16::MAX) * 26, u32::MAX - 1, u32::MAX]) {
        assert_eq!(column_letter(index), by_hand(index), "{index}");
    }
}
