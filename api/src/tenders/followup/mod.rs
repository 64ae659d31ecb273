//! Contract follow-up: per contract, what its tender required and what HMSREG has measured
//! so far (docs/rules.md, Contracts and their follow-up).

mod status;

pub use status::{FollowUpStatus, status};

use std::collections::{BTreeMap, HashMap};

use sea_orm::ConnectionTrait;

use super::{
    check::RequirementCode,
    contracts,
    service::{self, TenderRecord},
};
use crate::{
    agencies::service as agencies,
    domain::{Scope, agency::match_key},
    error::AppError,
    hmsreg::{
        contracts::{ContractHours, per_contract},
        query::HourFilter,
        shares::{Share, ShareSettings},
    },
};

/// Which rows `follow_up` gives.
#[derive(Clone, Debug, Default)]
pub struct FollowUpQuery {
    /// An agency text, matched through the register (or, unknown there, as written).
    pub agency: Option<String>,
    /// `yyyymm`, inclusive.
    pub from_month: Option<u32>,
    pub to_month: Option<u32>,
    /// Rows where either status is this one.
    pub status: Option<FollowUpStatus>,
}

/// One contract followed up.
#[derive(Clone, Debug)]
pub struct FollowUpRow {
    pub contract: String,
    pub agency: Option<String>,
    pub tender: Option<TenderRecord>,
    pub requires_apprentices: bool,
    pub requires_skilled_workers: bool,
    /// The contract's hours in the months asked; `None` without any.
    pub share: Option<Share>,
    pub apprentice_status: FollowUpStatus,
    pub skilled_status: FollowUpStatus,
}

fn requires(tender: Option<&TenderRecord>, code: RequirementCode) -> bool {
    tender.is_some_and(|t| t.requirements.iter().any(|r| r.code == code && r.firm()))
}

/// Every contract with hours in the months asked or named by a tender, sorted by agency
/// (rows without one last), then contract. A buyer's scope limits both the hours counted and
/// the rows to its own agency.
pub async fn follow_up(
    conn: &impl ConnectionTrait,
    query: &FollowUpQuery,
    scope: &Scope,
    settings: &ShareSettings,
) -> Result<Vec<FollowUpRow>, AppError> {
    let hour_filter = HourFilter {
        from_month: query.from_month,
        to_month: query.to_month,
        scope_agency: scope.agency_id(),
        ..Default::default()
    };
    let mut hours: HashMap<String, ContractHours> = per_contract(conn, &hour_filter, settings)
        .await?
        .into_iter()
        .map(|c| (c.key.clone(), c))
        .collect();
    let named = contracts::all(conn).await?;
    let ids: Vec<i64> = named.iter().map(|n| n.tender_id).collect();
    let tenders: HashMap<i64, TenderRecord> = service::by_ids(conn, &ids, scope)
        .await?
        .into_iter()
        .map(|t| (t.model.id, t))
        .collect();

    // Contract key -> (text, tender): named contracts first, then those with hours only.
    let mut rows: BTreeMap<String, (String, Option<&TenderRecord>)> = BTreeMap::new();
    for n in &named {
        // A tender outside the scope is not the buyer's: its contract is not shown.
        if let Some(t) = tenders.get(&n.tender_id) {
            rows.insert(n.contract_key.clone(), (n.contract.clone(), Some(t)));
        }
    }
    for (key, h) in &hours {
        rows.entry(key.clone())
            .or_insert_with(|| (h.share.key.clone(), None));
    }
    let filter_agency = match &query.agency {
        Some(text) => Some(AgencyChoice::of(conn, text).await?),
        None => None,
    };

    let mut out = Vec::new();
    for (key, (contract, tender)) in rows {
        let measured = hours.remove(&key);
        let agency: Option<(Option<i64>, String)> = match tender {
            Some(t) => Some((t.model.agency_id, t.model.agency.clone())),
            None => measured.as_ref().and_then(|m| m.agency.clone()),
        };
        if let Some(own) = scope.agency_id()
            && agency.as_ref().and_then(|a| a.0) != Some(own)
        {
            continue;
        }
        if let Some(choice) = &filter_agency
            && !choice.matches(agency.as_ref())
        {
            continue;
        }
        let share = measured.map(|m| m.share);
        let requires_apprentices = requires(tender, RequirementCode::Apprentices);
        let requires_skilled_workers = requires(tender, RequirementCode::SkilledWorkers);
        let apprentice_status = status(
            requires_apprentices,
            share.as_ref().and_then(|s| s.apprentice_share),
            settings.apprentice_target,
        );
        let skilled_status = status(
            requires_skilled_workers,
            share.as_ref().and_then(|s| s.skilled_share),
            settings.skilled_target,
        );
        if query
            .status
            .is_some_and(|s| s != apprentice_status && s != skilled_status)
        {
            continue;
        }
        out.push(FollowUpRow {
            contract,
            agency: agency.map(|a| a.1),
            tender: tender.cloned(),
            requires_apprentices,
            requires_skilled_workers,
            share,
            apprentice_status,
            skilled_status,
        });
    }
    out.sort_by(|a, b| {
        let agency = |r: &FollowUpRow| {
            (
                r.agency.is_none(),
                r.agency.as_deref().map(str::to_lowercase),
            )
        };
        agency(a)
            .cmp(&agency(b))
            .then_with(|| a.contract.to_lowercase().cmp(&b.contract.to_lowercase()))
    });
    Ok(out)
}

/// The agency a filter asks for: a registered one, or a text the register does not know.
enum AgencyChoice {
    Registered(i64),
    Text(String),
}

impl AgencyChoice {
    async fn of(conn: &impl ConnectionTrait, text: &str) -> Result<Self, AppError> {
        Ok(match agencies::load(conn).await?.find(text) {
            Some(a) => AgencyChoice::Registered(a.id),
            None => AgencyChoice::Text(match_key(text)),
        })
    }

    fn matches(&self, agency: Option<&(Option<i64>, String)>) -> bool {
        match (self, agency) {
            (AgencyChoice::Registered(id), Some((Some(a), _))) => a == id,
            (AgencyChoice::Text(k), Some((None, name))) => match_key(name) == *k,
            _ => false,
        }
    }
}
