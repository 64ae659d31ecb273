//! Importing an HMSREG file (docs/rules.md, HMSREG import), one job to a module.
//!
//! - [`reader`]: format detection and the .xlsx, .xls/.ods and CSV readers, behind [`RowSink`].
//! - `header`: which column holds what. `cells`: one cell as hours, a date, a name.
//! - `parser` and `row_check`: a sheet's rows, and one row's values. `aggregate`: the sums.
//!   `memo` and `worker`: what distinct texts came to, and the worker hash; `sums`: the
//!   month-grain sums as they are read, keyed by the ids of texts.
//! - `pipeline`: the reader and the parser on two threads, rows passed in batches.
//! - [`service`]: `read_and_check` (in `check`) off the async threads, then `store`: the
//!   checks, the [`replacement`] of earlier hours, the writes and the audit, in one
//!   transaction.

mod aggregate;
mod cells;
mod check;
mod config;
mod header;
mod issue;
mod memo;
mod parser;
mod pipeline;
pub mod reader;
mod row_check;
pub mod service;
mod store;
mod sums;
mod worker;

#[cfg(test)]
mod fuzz_tests;

pub use aggregate::{FactKey, Hours, LabelKind, MAX_ISSUES, NO_AGENCY, NO_TRADE, Parsed};
pub use cells::{Category, Cell, category, parse_date, parse_hours, parse_period};
pub use issue::{Issue, Severity, column_letter};
pub use parser::Parser;
pub use reader::RowSink;
pub use store::replacement;
pub use worker::worker_hash;
