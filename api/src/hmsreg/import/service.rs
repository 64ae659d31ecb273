//! The import's entry points: `read_and_check` a file, then `store` it.
//!
//! Reading and checking runs off the async threads; storing writes the import and its hours
//! in one transaction, replacing earlier hours of the same contract-months.

use std::collections::{HashMap, HashSet};

use entity::hmsreg_import;

use super::{
    super::shares::{self, Share, ShareSettings, TradeSplit},
    aggregate::Parsed,
    issue::Issue,
};
pub use super::{check::read_and_check, config::HmsregConfig, store::store};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Accepted,
    Rejected,
}

pub struct Outcome {
    pub status: Status,
    /// The stored import; `None` when rejected or on a dry run.
    pub import: Option<hmsreg_import::Model>,
    pub issues: Vec<Issue>,
    /// The file's shares; `None` when rejected.
    pub total: Option<Share>,
}

impl Outcome {
    pub(super) fn rejected(issues: Vec<Issue>) -> Self {
        Self {
            status: Status::Rejected,
            import: None,
            issues,
            total: None,
        }
    }
}

/// The file's own shares, from what it holds, counted by trade as stored hours are.
pub fn file_total(parsed: &Parsed, settings: &ShareSettings) -> Share {
    let mut contracts: HashMap<&str, TradeSplit> = HashMap::new();
    for (key, hours) in &parsed.facts {
        contracts
            .entry(key.contract.as_str())
            .or_default()
            .add(hours, settings.counts(&key.trade));
    }
    let workers: HashSet<&str> = parsed.apprentices.iter().map(|(_, w)| w.as_str()).collect();
    let per_contract: Vec<TradeSplit> = contracts.into_values().collect();
    shares::share("total".into(), &per_contract, workers.len(), settings)
}
