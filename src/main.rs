//! The `samkjop` binary: everything lives in the `api` crate; this only hands over the command line.

use std::process::ExitCode;

/// mimalloc instead of the system allocator (why: the comment on the dependency in Cargo.toml).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match api::cli::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // The cause chain on one line: an operator reads this, so no backtrace.
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
