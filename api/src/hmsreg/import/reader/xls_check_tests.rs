//! Containers from `fixtures/hmsreg/formats/timer.xls`, broken the ways calamine over-allocates.
//!
//! `timer.xls` has 512-byte sectors, one FAT sector, and the workbook stream in one run of
//! sectors from the first. Without the check each case but the looping stream aborted the
//! test process; that one took 4 GB.

use std::io::Cursor;

use super::is_bounded;
use crate::hmsreg::import::{
    Parsed, Parser,
    reader::{self, ReadFailure, ReadLimits},
};

const TIMER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/hmsreg/formats/timer.xls"
));

fn read(xls: &[u8]) -> Result<Parsed, ReadFailure> {
    let limits = ReadLimits {
        max_rows: 1_048_576,
        max_columns: 200,
    };
    let mut parser = Parser::new(b"xls-check-test-key");
    reader::read(Cursor::new(xls), "timer.xls", limits, &mut parser).map(|()| parser.finish())
}

fn le_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

/// Byte offset of the FAT entry for sector `id` in `timer.xls` (512-byte sectors, one FAT
/// sector, as Excel writes a small workbook).
fn fat_entry(xls: &[u8], id: u32) -> usize {
    let fat_sector = le_u32(xls, 76) as usize;
    (fat_sector + 1) * 512 + id as usize * 4
}

/// The first case the fuzzing found: a directory chain that loops made calamine allocate
/// until the process was killed (`memory allocation of 8589934592 bytes failed` under a
/// 6 GB limit).
#[test]
fn a_looping_directory_chain_is_refused() {
    let mut xls = TIMER.to_vec();
    let directory = le_u32(&xls, 48);
    let at = fat_entry(&xls, directory);
    xls[at..at + 4].copy_from_slice(&directory.to_le_bytes());
    assert_eq!(read(&xls).err().map(|f| f.code()), Some("UNREADABLE_FILE"));
}

/// A sound workbook passes (one in the mini stream is further down).
#[test]
fn a_sound_workbook_passes_the_check() {
    assert!(is_bounded(TIMER));
}

/// A stream that says it is 4 GB long and whose chain loops: calamine would copy the same
/// sector until it had 4 GB (it survives that under a 6 GB limit, so the check itself is
/// asserted too, not only the verdict).
#[test]
fn a_looping_stream_chain_is_refused() {
    let mut xls = TIMER.to_vec();
    let directory = (le_u32(&xls, 48) as usize + 1) * 512;
    let name: Vec<u8> = "Workbook"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let entry = (directory..directory + 512)
        .step_by(128)
        .find(|e| xls[*e..].starts_with(&name))
        .expect("timer.xls has a Workbook stream");
    let start = le_u32(&xls, entry + 116);
    xls[entry + 120..entry + 124].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let at = fat_entry(&xls, start);
    xls[at..at + 4].copy_from_slice(&start.to_le_bytes());
    assert!(!is_bounded(&xls));
    assert_eq!(read(&xls).err().map(|f| f.code()), Some("UNREADABLE_FILE"));
}

/// File offset of the data of the first BIFF record of type `typ` in `timer.xls`, whose
/// workbook stream lies in one run of sectors from the first.
fn record_data(xls: &[u8], typ: u16) -> usize {
    let mut at = 512;
    loop {
        let found = u16::from_le_bytes([xls[at], xls[at + 1]]);
        let len = u16::from_le_bytes([xls[at + 2], xls[at + 3]]) as usize;
        if found == typ {
            return at + 4;
        }
        assert!(found != 0 || len != 0, "no record {typ:#06x} in timer.xls");
        at += 4 + len;
    }
}

/// A Dimensions record that says the sheet ends at row 4 294 967 295: calamine reserved
/// room for that many rows of cells and the process aborted ("memory allocation of
/// 11258827267113000 bytes failed"); the fuzzing found the same (422 GB) with a few bytes
/// changed in place.
#[test]
fn a_sheet_larger_than_xls_allows_is_refused() {
    let mut xls = TIMER.to_vec();
    let at = record_data(&xls, 0x0200);
    xls[at + 4..at + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert!(!is_bounded(&xls));
    assert_eq!(read(&xls).err().map(|f| f.code()), Some("UNREADABLE_FILE"));
}

/// A cell at row 65 535, column 65 535 next to one at the top: calamine lays the sheet out
/// as a full rectangle, 4 294 967 296 cells.
#[test]
fn cells_far_apart_are_refused() {
    let mut xls = TIMER.to_vec();
    let at = record_data(&xls, 0x00FD);
    xls[at..at + 4].copy_from_slice(&[0xFF; 4]);
    assert!(!is_bounded(&xls));
    assert_eq!(read(&xls).err().map(|f| f.code()), Some("UNREADABLE_FILE"));
}

/// `timer.xls`'s workbook stream without the zeros that pad it to 4096 bytes.
fn timer_stream() -> Vec<u8> {
    let mut end = 512;
    while TIMER[end..end + 4] != [0; 4] {
        end += 4 + u16::from_le_bytes([TIMER[end + 2], TIMER[end + 3]]) as usize;
    }
    TIMER[512..end].to_vec()
}

/// A container of its own for a workbook stream short enough (under 4096 bytes) to sit in
/// the mini stream, which the fixture does not use.
fn in_mini_stream(stream: &[u8]) -> Vec<u8> {
    const FREE: u32 = 0xFFFF_FFFF;
    const END: u32 = 0xFFFF_FFFE;
    let minis = stream.len().div_ceil(64);
    let mini_bytes = minis * 64;
    let stream_sectors = mini_bytes.div_ceil(512);
    // Sector 0 the FAT, 1 the directory, 2 the mini FAT, 3.. the mini stream.
    let mut file = vec![0u8; 512 * (4 + stream_sectors)];
    let put = |file: &mut Vec<u8>, at: usize, v: u32| {
        file[at..at + 4].copy_from_slice(&v.to_le_bytes());
    };
    file[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    file[24..34].copy_from_slice(&[0x3E, 0, 3, 0, 0xFE, 0xFF, 9, 0, 6, 0]);
    put(&mut file, 44, 1);
    put(&mut file, 48, 1);
    put(&mut file, 56, 4096);
    put(&mut file, 60, 2);
    put(&mut file, 64, 1);
    put(&mut file, 68, END);
    file[76..512].fill(0xFF);
    put(&mut file, 76, 0);
    let fat = 512;
    for i in 0..128 {
        put(&mut file, fat + 4 * i, FREE);
    }
    put(&mut file, fat, 0xFFFF_FFFD);
    put(&mut file, fat + 4, END);
    put(&mut file, fat + 8, END);
    for i in 0..stream_sectors {
        let next = if i + 1 == stream_sectors {
            END
        } else {
            4 + i as u32
        };
        put(&mut file, fat + 4 * (3 + i), next);
    }
    let entry = |file: &mut Vec<u8>, index: usize, name: &str, kind: u8, start: u32, len: u32| {
        let at = 1024 + 128 * index;
        let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        file[at..at + utf16.len()].copy_from_slice(&utf16);
        file[at + 64..at + 66].copy_from_slice(&(utf16.len() as u16 + 2).to_le_bytes());
        file[at + 66] = kind;
        file[at + 67] = 1;
        file[at + 68..at + 80].fill(0xFF);
        put(file, at + 116, start);
        put(file, at + 120, len);
    };
    entry(&mut file, 0, "Root Entry", 5, 3, mini_bytes as u32);
    put(&mut file, 1024 + 76, 1);
    entry(&mut file, 1, "Workbook", 2, 0, stream.len() as u32);
    let mini_fat = 1536;
    for i in 0..128 {
        let next = match i {
            i if i + 1 < minis => i as u32 + 1,
            i if i + 1 == minis => END,
            _ => FREE,
        };
        put(&mut file, mini_fat + 4 * i, next);
    }
    file[2048..2048 + stream.len()].copy_from_slice(stream);
    file
}

/// The check follows calamine into the mini stream too, and lets a sound file through.
#[test]
fn a_workbook_in_the_mini_stream_reads() {
    let xls = in_mini_stream(&timer_stream());
    assert!(is_bounded(&xls));
    let small = read(&xls).expect("calamine reads the rebuilt container");
    let fixture = read(TIMER).expect("the fixture reads");
    assert!(small.row_count > 0);
    assert_eq!(small.row_count, fixture.row_count);
    assert_eq!(small.facts, fixture.facts);
}

/// Offset in `stream` of the first record of type `typ`.
fn record_at(stream: &[u8], typ: u16) -> usize {
    let mut at = 0;
    while u16::from_le_bytes([stream[at], stream[at + 1]]) != typ {
        at += 4 + u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
    }
    at
}

/// `stream` with its (first) sheet listed a second time, under another name.
fn listed_twice(stream: &[u8]) -> Vec<u8> {
    let mut stream = stream.to_vec();
    let at = record_at(&stream, 0x0085);
    let len = 4 + u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
    let mut record = stream[at..at + len].to_vec();
    // The copy comes before the sheet, which moves the sheet by its length.
    let sheet = u32::from_le_bytes(record[4..8].try_into().expect("four bytes"));
    let moved = (sheet + len as u32).to_le_bytes();
    record[4..8].copy_from_slice(&moved);
    stream[at + 4..at + 8].copy_from_slice(&moved);
    *record.last_mut().expect("a name") = b'2';
    stream.splice(at..at, record);
    stream
}

/// A sheet with a cell at its last row and column (another at A1) is as large as an .xls
/// sheet gets, and passes; listed twice, calamine lays it out twice, which is refused.
#[test]
fn all_sheets_together_are_bounded() {
    let twice = in_mini_stream(&listed_twice(&timer_stream()));
    assert!(is_bounded(&twice));
    let parsed = read(&twice).expect("calamine reads both sheets");
    assert_eq!(parsed.sheets_with_header, 2);

    let mut large = timer_stream();
    let cell = record_at(&large, 0x00FD) + 4;
    large[cell..cell + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    assert!(is_bounded(&in_mini_stream(&large)));
    assert!(!is_bounded(&in_mini_stream(&listed_twice(&large))));
}
