//! Reading and parsing side by side: the reader turns the file into rows on the calling
//! thread while the parser checks and adds them up on a second one, so a large file costs
//! about what reading it costs (the reader is the slower half).
//!
//! Rows go over in batches, in order, and the batches come back to be filled again, so the
//! texts' buffers are reused rather than allocated per cell; the .xlsx reader's own cells move
//! into a batch without a copy (`RowSink::row_owned`). The parser sees exactly the
//! calls a reader would have made on it directly.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};

use super::{
    cells::Cell,
    header::HEADER_SEARCH_ROWS,
    parser::Parser,
    reader::{self, ReadFailure, ReadLimits, RowSink},
};

/// Rows per batch, and batches on their way at once: enough to keep both threads busy. The
/// parser is the faster half and waits for most batches, so each batch sent wakes its
/// thread, which is costly on a virtual machine: at 512 rows a batch, the wake-ups were 3 %
/// of a million-row import's samples. Batches are large.
const BATCH_ROWS: usize = 4096;
const IN_FLIGHT: usize = 4;

/// One call of the reader on its sink.
enum Event {
    StartSheet(String),
    /// Row `row` (1-based) is `Batch::cells[start..end]`.
    Row {
        row: u32,
        start: usize,
        end: usize,
    },
    Issue {
        code: String,
        message: String,
        row: Option<u32>,
        column: Option<u32>,
    },
    EndSheet,
}

#[derive(Default)]
struct Batch {
    events: Vec<Event>,
    cells: Vec<Cell>,
}

enum Message {
    Batch(Batch),
    /// Whether the sheet being read has a header: asked past the rows a header may be in.
    HasHeader(Sender<bool>),
}

/// Reads `source` into `parser` with the parsing on a second thread; returns the parser once
/// it has seen every row. A panic on either thread goes on as a panic on this one.
pub(super) fn read<R: std::io::Read + std::io::Seek>(
    source: R,
    file_name: &str,
    limits: ReadLimits,
    parser: Parser,
) -> Result<Parser, ReadFailure> {
    let (to_parser, from_reader) = mpsc::sync_channel::<Message>(IN_FLIGHT);
    let (to_reader, returned) = mpsc::channel::<Batch>();
    std::thread::scope(|scope| {
        let parsing = scope.spawn(move || parse(parser, &from_reader, &to_reader));
        let read = {
            let mut sink = BatchSink::new(to_parser, returned);
            let read = reader::read(source, file_name, limits, &mut sink);
            sink.send();
            read
            // The sink drops here, which ends the parser's loop.
        };
        match parsing.join() {
            Ok(parser) => read.map(|()| parser),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The parser's thread: replays each batch's calls, then hands the batch back.
fn parse(mut parser: Parser, batches: &Receiver<Message>, back: &Sender<Batch>) -> Parser {
    for message in batches {
        match message {
            Message::Batch(batch) => {
                replay(&mut parser, &batch);
                // The reader may be gone already (it failed); the batch is then dropped.
                let _ = back.send(batch);
            }
            Message::HasHeader(answer) => {
                let _ = answer.send(parser.has_header());
            }
        }
    }
    parser
}

fn replay(parser: &mut Parser, batch: &Batch) {
    for event in &batch.events {
        match event {
            Event::StartSheet(name) => parser.start_sheet(name),
            Event::Row { row, start, end } => parser.row(*row, &batch.cells[*start..*end]),
            Event::Issue {
                code,
                message,
                row,
                column,
            } => parser.reader_issue(code, message.clone(), *row, *column),
            Event::EndSheet => parser.end_sheet(),
        }
    }
}

/// What the reader writes to: a batch of calls, sent on when full.
struct BatchSink {
    batch: Batch,
    rows: usize,
    to_parser: SyncSender<Message>,
    returned: Receiver<Batch>,
    /// Texts of batches that came back, to copy the next texts into.
    spare: Vec<String>,
    /// Whether this sheet has a header, once the parser was asked.
    has_header: Option<bool>,
    /// The parser's thread is gone (it panicked): nothing more is sent.
    gone: bool,
}

impl BatchSink {
    fn new(to_parser: SyncSender<Message>, returned: Receiver<Batch>) -> Self {
        Self {
            batch: Batch::default(),
            rows: 0,
            to_parser,
            returned,
            spare: Vec::new(),
            has_header: None,
            gone: false,
        }
    }

    /// Sends the batch on and starts the next in one that came back, if any did.
    fn send(&mut self) {
        if self.batch.events.is_empty() || self.gone {
            return;
        }
        let mut next = match self.returned.try_recv() {
            Ok(mut back) => {
                back.events.clear();
                for cell in back.cells.drain(..) {
                    if let Cell::Text(t) = cell {
                        self.spare.push(t);
                    }
                }
                back
            }
            Err(_) => Batch::default(),
        };
        std::mem::swap(&mut next, &mut self.batch);
        self.rows = 0;
        self.gone = self.to_parser.send(Message::Batch(next)).is_err();
    }

    fn push(&mut self, event: Event) {
        self.batch.events.push(event);
    }

    /// Ends the row whose cells start at `start` in the batch; sends a full batch on.
    fn close_row(&mut self, row: u32, start: usize) {
        let end = self.batch.cells.len();
        self.push(Event::Row { row, start, end });
        self.rows += 1;
        if self.rows >= BATCH_ROWS {
            self.send();
        }
    }

    /// A copy of `cell`, its text in a reused buffer.
    fn copy(&mut self, cell: &Cell) -> Cell {
        match cell {
            Cell::Text(t) => {
                let mut s = self.spare.pop().unwrap_or_default();
                s.clear();
                s.push_str(t);
                Cell::Text(s)
            }
            other => other.clone(),
        }
    }
}

impl RowSink for BatchSink {
    fn start_sheet(&mut self, name: &str) {
        self.has_header = None;
        self.push(Event::StartSheet(name.to_string()));
    }

    fn row(&mut self, row: u32, cells: &[Cell]) {
        let start = self.batch.cells.len();
        for cell in cells {
            let copy = self.copy(cell);
            self.batch.cells.push(copy);
        }
        self.close_row(row, start);
    }

    /// The reader's cells move into the batch; texts of batches that came back go to the
    /// reader for its next cells.
    fn row_owned(&mut self, row: u32, cells: &mut Vec<Cell>, spare: &mut Vec<String>) {
        let start = self.batch.cells.len();
        self.batch.cells.append(cells);
        spare.append(&mut self.spare);
        self.close_row(row, start);
    }

    /// As the parser answers: past the rows a header may be in, only a sheet with one is
    /// read on. The parser is asked once per sheet, after every row before it.
    fn wants_more(&mut self, row: u32) -> bool {
        if row <= HEADER_SEARCH_ROWS {
            return true;
        }
        if let Some(known) = self.has_header {
            return known;
        }
        self.send();
        let (answer, reply) = mpsc::channel();
        let known = !self.gone
            && self.to_parser.send(Message::HasHeader(answer)).is_ok()
            && reply.recv().unwrap_or(false);
        self.has_header = Some(known);
        known
    }

    fn reader_issue(&mut self, code: &str, message: String, row: Option<u32>, column: Option<u32>) {
        self.push(Event::Issue {
            code: code.to_string(),
            message,
            row,
            column,
        });
    }

    fn end_sheet(&mut self) {
        self.push(Event::EndSheet);
    }
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;
