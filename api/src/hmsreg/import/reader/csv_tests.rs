//! CSV rows are their lines, whatever ends them, blank lines and quoted line breaks counted.

use std::io::Cursor;

use super::*;

/// What a reader handed over: the rows with their numbers and texts, and the issues.
#[derive(Default)]
struct Recorder {
    rows: Vec<(u32, Vec<String>)>,
    issues: Vec<(String, Option<u32>, Option<u32>)>,
}

impl RowSink for Recorder {
    fn start_sheet(&mut self, _: &str) {}

    fn row(&mut self, row: u32, cells: &[Cell]) {
        let texts = cells
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                _ => String::new(),
            })
            .collect();
        self.rows.push((row, texts));
    }

    fn wants_more(&mut self, _: u32) -> bool {
        true
    }

    fn reader_issue(&mut self, code: &str, _: String, row: Option<u32>, column: Option<u32>) {
        self.issues.push((code.into(), row, column));
    }

    fn end_sheet(&mut self) {}
}

const LIMITS: ReadLimits = ReadLimits {
    max_rows: 1000,
    max_columns: 5,
};

fn rows(bytes: &[u8]) -> Vec<(u32, Vec<String>)> {
    let mut sink = Recorder::default();
    read(Cursor::new(bytes), "t.csv", LIMITS, &mut sink).unwrap();
    assert!(sink.issues.is_empty());
    sink.rows
}

fn numbers(bytes: &[u8]) -> Vec<u32> {
    rows(bytes).iter().map(|(n, _)| *n).collect()
}

#[test]
fn rows_are_lines_whatever_ends_them() {
    assert_eq!(numbers(b"a;b\nc;d\ne\n"), [1, 2, 3]);
    assert_eq!(numbers(b"a;b\r\nc;d\r\ne\r\n"), [1, 2, 3]);
    assert_eq!(numbers(b"a;b\rc;d\re"), [1, 2, 3]);
}

#[test]
fn blank_lines_and_quoted_line_breaks_count() {
    assert_eq!(numbers(b"a;b\r\n\r\n  \r\nc\r\n"), [1, 2, 3, 4]);
    assert_eq!(numbers(b"\"x\r\ny\";b\r\nc\r\n"), [1, 3]);
    assert_eq!(numbers(b"\"x\n\ny\";b\nc\n"), [1, 4]);
    // A blank line inside a quoted value gets its separator too.
    assert_eq!(rows(b"\"x\n\ny\";b\n")[0].1, ["x\n;\ny", "b"]);
}

#[test]
fn windows_1252_and_utf8_read_alike() {
    let utf8 = rows("Faglært;7,5\r\n".as_bytes());
    assert_eq!(utf8, rows(b"Fagl\xE6rt;7,5\r\n"));
    assert_eq!(utf8, rows("\u{feff}Faglært;7,5\r\n".as_bytes()));
    assert_eq!(utf8[0].1, ["Faglært", "7,5"]);
}

#[test]
fn a_value_past_the_last_column_stops_the_sheet_where_it_is() {
    let mut sink = Recorder::default();
    read(
        Cursor::new(b"a\n\n;;;;;;x\nb\n"),
        "t.csv",
        LIMITS,
        &mut sink,
    )
    .unwrap();
    assert_eq!(sink.rows.len(), 2);
    assert_eq!(sink.issues, [("TOO_MANY_COLUMNS".into(), Some(3), Some(6))]);
}
