//! `samkjop import-brreg FILE`: reads Enhetsregisteret's bulk download and keeps what it says
//! about our suppliers. Exit code 1 when the file is refused (nothing changed then).

use std::{
    fs::File,
    io::Write as _,
    path::Path,
    sync::{Arc, atomic::AtomicU64},
};

use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::progress::{CountingReader, Progress, Watch};
use crate::{
    clock,
    registry::{
        Entry,
        import::{self, Imported},
        scan::grouped,
    },
};

/// Imports the register file at `path`; returns whether it was accepted.
pub async fn run(
    db: &DatabaseConnection,
    path: &Path,
    as_json: bool,
    by: &str,
) -> anyhow::Result<bool> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().ok().map(|m| m.len());
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("register file")
        .to_string();
    let (bytes, entities) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let progress = Progress::start(
        Watch {
            command: "import-brreg",
            file: name.clone(),
            bytes: bytes.clone(),
            first_pass: 0,
            total_bytes: size,
            items: Some((entities.clone(), "entities")),
        },
        as_json,
    );
    let outcome = import::import(
        db,
        CountingReader::new(file, bytes),
        &format!("cli:{by}"),
        &name,
        clock::today(),
        entities,
    )
    .await;
    progress.finish();
    // A closed stdout (`| head`) ends the output, not the process with a panic.
    let mut out = std::io::stdout().lock();
    match outcome? {
        Ok(imported) => {
            if as_json {
                let value = accepted_json(&name, &imported);
                writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
            } else {
                write_summary(&mut out, &name, &imported)?;
            }
            Ok(true)
        }
        Err(refused) => {
            if as_json {
                let value = json!({
                    "status": "REFUSED",
                    "file": name,
                    "error": refused.to_string(),
                    "details": refused.lines(),
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
            } else {
                writeln!(out, "{name}: REFUSED, nothing changed")?;
                for line in refused.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
            Ok(false)
        }
    }
}

fn accepted_json(name: &str, i: &Imported) -> serde_json::Value {
    json!({
        "status": "ACCEPTED",
        "file": name,
        "gzip": i.gzip,
        "entities": i.stored.entities,
        "wanted": i.wanted,
        "kept": i.stored.kept,
        "replaced": i.stored.replaced,
        "checkedOn": i.stored.checked_on,
        "flagged": i.flagged.iter().map(|e| json!({
            "orgNumber": e.org_number,
            "name": e.name,
            "bankrupt": e.bankrupt,
            "beingWoundUp": e.being_wound_up,
            "forcedDissolution": e.forced_dissolution,
            "deletedOn": e.deleted_on,
        })).collect::<Vec<_>>(),
    })
}

fn write_summary(out: &mut impl std::io::Write, name: &str, i: &Imported) -> std::io::Result<()> {
    let kind = if i.gzip { " (gzip)" } else { "" };
    writeln!(
        out,
        "{name}: ACCEPTED: {} entities read{kind}; checked on {}",
        grouped(i.stored.entities),
        i.stored.checked_on
    )?;
    writeln!(
        out,
        "  {} of our {} organisation numbers listed, {} flagged; {} earlier entries replaced",
        grouped(i.stored.kept as u64),
        grouped(i.wanted as u64),
        grouped(i.stored.flagged as u64),
        grouped(i.stored.replaced)
    )?;
    if i.wanted > i.stored.kept {
        writeln!(
            out,
            "  {} not listed: the register does not know them (their registry is null)",
            grouped((i.wanted - i.stored.kept) as u64)
        )?;
    }
    for e in &i.flagged {
        writeln!(out, "  FLAGGED {} {}: {}", e.org_number, e.name, flags(e))?;
    }
    Ok(())
}

fn flags(e: &Entry) -> String {
    let mut said = Vec::new();
    if e.bankrupt {
        said.push("bankrupt (konkurs)".to_string());
    }
    if e.being_wound_up {
        said.push("being wound up (underAvvikling)".to_string());
    }
    if e.forced_dissolution {
        said.push("forced dissolution (underTvangsavviklingEllerTvangsopplosning)".to_string());
    }
    if let Some(d) = e.deleted_on {
        said.push(format!("deleted {d} (slettedato)"));
    }
    said.join(", ")
}
