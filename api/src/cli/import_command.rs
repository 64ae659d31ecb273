//! `samkjop import-hmsreg FILE`: the same import as the API, for scheduled jobs.

use std::{
    fs::File,
    io::BufReader,
    path::Path,
    sync::{Arc, atomic::AtomicU64},
};

use anyhow::Context as _;
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::progress::{CountingReader, Progress, Watch};
use crate::hmsreg::{
    import::{Issue, Severity},
    service::{self, HmsregConfig, Status},
    shares::Share,
};

/// Runs the import and prints the outcome; returns whether the file was accepted.
pub async fn run(
    db: &DatabaseConnection,
    config: &HmsregConfig,
    path: &Path,
    dry_run: bool,
    as_json: bool,
    by: &str,
) -> anyhow::Result<bool> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("upload")
        .to_string();
    // The import reads the file twice, once for its SHA-256 and once for its rows: the
    // bytes through the file reader in the second pass are how far it has got. The parser is
    // not touched: what it reads and decides is the same with or without the display.
    let size = file.metadata().ok().map(|m| m.len());
    let bytes = Arc::new(AtomicU64::new(0));
    let progress = Progress::start(
        Watch {
            command: "import-hmsreg",
            file: name.clone(),
            bytes: bytes.clone(),
            first_pass: size.unwrap_or(0),
            total_bytes: size,
            items: None,
        },
        as_json,
    );
    let checked = {
        let (name, config) = (name.clone(), config.clone());
        tokio::task::spawn_blocking(move || {
            let counted = CountingReader::new(file, bytes);
            service::read_and_check(BufReader::new(counted), &name, &config)
        })
        .await
    };
    progress.finish();
    let checked = checked?;
    let actor = format!("cli:{by}");
    let outcome = service::store(db, config, &actor, &name, checked, dry_run)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let accepted = outcome.status == Status::Accepted;
    if as_json {
        let value = json!({
            "status": if accepted { "ACCEPTED" } else { "REJECTED" },
            "dryRun": dry_run,
            "importId": outcome.import.as_ref().map(|i| i.id),
            "issues": outcome.issues,
            "total": outcome.total.as_ref().map(share_json),
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let verdict = match (accepted, dry_run) {
            (true, true) => "ACCEPTED (dry run: nothing written)".to_string(),
            (true, false) => format!(
                "ACCEPTED as import {}",
                outcome.import.as_ref().map_or(0, |i| i.id)
            ),
            (false, _) => "REJECTED: nothing written".to_string(),
        };
        println!("{name}: {verdict}");
        for issue in &outcome.issues {
            println!("  {}", describe(issue));
        }
        if let Some(total) = &outcome.total {
            print_share(total);
        }
    }
    Ok(accepted)
}

fn describe(issue: &Issue) -> String {
    let severity = match issue.severity {
        Severity::Error => "ERROR  ",
        Severity::Warning => "WARNING",
    };
    let place = match (&issue.sheet, issue.row, &issue.column) {
        (Some(s), Some(r), Some(c)) => format!("{s}!{c}{r}: "),
        (Some(s), Some(r), None) => format!("{s} row {r}: "),
        (Some(s), None, _) => format!("{s}: "),
        _ => String::new(),
    };
    format!("{severity} {} {place}{}", issue.code, issue.message)
}

fn hours(h: i64) -> String {
    crate::domain::hundredths::plain(h)
}

fn percent(p: Option<f64>) -> String {
    p.map_or("-".into(), |v| format!("{v:.1} %"))
}

fn print_share(s: &Share) {
    println!(
        "  hours: skilled {}, apprentice {}, unskilled {}, administrative {}; relevant {} (in craft trades {}, in apprentice trades {})",
        hours(s.hours.skilled),
        hours(s.hours.apprentice),
        hours(s.hours.unskilled),
        hours(s.hours.administrative),
        hours(s.relevant),
        hours(s.skilled_base),
        hours(s.apprentice_base)
    );
    println!(
        "  skilled share {} (contract mean {}), apprentice share {} (contract mean {}), apprentices {}",
        percent(s.skilled_share),
        percent(s.average_contract_skilled_share),
        percent(s.apprentice_share),
        percent(s.average_contract_apprentice_share),
        s.apprentice_count
    );
}

fn share_json(s: &Share) -> serde_json::Value {
    json!({
        "skilledHours": hours(s.hours.skilled), "apprenticeHours": hours(s.hours.apprentice),
        "unskilledHours": hours(s.hours.unskilled), "administrativeHours": hours(s.hours.administrative),
        "relevantHours": hours(s.relevant), "skilledBaseHours": hours(s.skilled_base),
        "apprenticeBaseHours": hours(s.apprentice_base), "skilledShare": s.skilled_share, "apprenticeShare": s.apprentice_share,
        "averageContractSkilledShare": s.average_contract_skilled_share,
        "averageContractApprenticeShare": s.average_contract_apprentice_share,
        "apprenticeCount": s.apprentice_count,
        "meetsSkilledTarget": s.meets_skilled_target, "meetsApprenticeTarget": s.meets_apprentice_target,
    })
}
