//! What the climate and labour statistics read from storage: the tenders of a period with
//! what their recorded checks count (`tender_check.counted`). One statement however many
//! tenders: the period is a join in the database, not a list of ids sent back.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use entity::{tender, tender_check};
use sea_orm::{
    ConnectionTrait,
    sea_query::{Condition, Expr, ExprTrait as _, Query},
};

use super::{
    recorded::{self, RuleStatuses},
    stats::Counted,
};
use crate::{agencies::service as agencies, error::AppError};

/// The tenders of a period, as the statistics count them.
pub struct PeriodTenders {
    pub tenders: Vec<Counted<RuleStatuses>>,
    /// The catalogue versions their checks were recorded with.
    pub rules_versions: BTreeSet<String>,
}

/// The tenders announced in [from, to] (optionally of the agency `agency` names, through the
/// register: BAD_USER_INPUT on `agency` when it names none) with what their recorded checks
/// count. A tender without a recorded check is an internal error: every write records one,
/// and start-up records one for every tender that lacks it.
pub async fn load(
    conn: &impl ConnectionTrait,
    agency: Option<&str>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<PeriodTenders, AppError> {
    let mut period = Condition::all()
        .add(Expr::col((tender::Entity, tender::Column::AnnouncedOn)).gte(from))
        .add(Expr::col((tender::Entity, tender::Column::AnnouncedOn)).lte(to));
    if let Some(text) = agency {
        let id = agencies::find(conn, "agency", text).await?.id;
        period = period.add(Expr::col((tender::Entity, tender::Column::AgencyId)).eq(id));
    }
    let query = Query::select()
        .column((tender::Entity, tender::Column::Id))
        .column((tender::Entity, tender::Column::AnnouncedOn))
        .column((tender_check::Entity, tender_check::Column::RulesVersion))
        .column((tender_check::Entity, tender_check::Column::Counted))
        .from(tender::Entity)
        // A left join, so that a tender without a check is seen rather than left out.
        .left_join(
            tender_check::Entity,
            Expr::col((tender_check::Entity, tender_check::Column::TenderId))
                .equals((tender::Entity, tender::Column::Id)),
        )
        .cond_where(period)
        .to_owned();
    let rows = conn.query_all(&query).await?;
    let mut out = PeriodTenders {
        tenders: Vec::with_capacity(rows.len()),
        rules_versions: BTreeSet::new(),
    };
    for row in rows {
        let id: i64 = row.try_get_by_index(0)?;
        let announced_on: NaiveDate = row.try_get_by_index(1)?;
        let version: Option<String> = row.try_get_by_index(2)?;
        let counted: Option<String> = row.try_get_by_index(3)?;
        let (Some(version), Some(counted)) = (version, counted) else {
            return Err(AppError::internal(anyhow::anyhow!(
                "tender {id} has no recorded check"
            )));
        };
        let (check, firm) = recorded::read_counted(id, &counted)?;
        out.tenders.push(Counted {
            announced_on,
            firm,
            check,
        });
        out.rules_versions.insert(version);
    }
    Ok(out)
}
