//! The `samkjop` binary: everything lives in the `api` crate; this only hands over the command line.

fn main() -> anyhow::Result<()> {
    api::cli::run()
}
