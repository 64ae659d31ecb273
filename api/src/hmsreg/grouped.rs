//! Workforce shares added up in the database at the asked grain: one statement returns one
//! row per group (or pair of groups) with its hours, both shares' numerators and
//! denominators, the sum and number of the per-contract shares, the distinct apprentices and
//! the group's label, so what crosses to Rust grows with the groups, not with the facts.
//!
//! The trade catalogue and the agency register are settings and data that change without a
//! re-import; both go into the statement as bind values (the trades that leave a share out,
//! and the stored agency texts that match an agency), so the figures follow them at once.

use std::collections::HashMap;

use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Statement};

use super::{
    import::Hours,
    query::{Grouping, HourFilter},
    rollup,
    shares::{GroupSums, ShareSettings},
    sql::Sql,
};
use crate::error::AppError;

/// The stored agency keys a filter's agency texts come to (see `query::agency_keys`).
#[derive(Default)]
pub(super) struct AgencyKeys {
    pub agency: Option<Vec<String>>,
    pub scope: Option<Vec<String>>,
}

/// The expression a grouping reads (the same in SQLite and PostgreSQL); AGENCY reads the
/// register's name through `agency_map` where the text matches an agency.
fn dimension(grouping: Grouping) -> &'static str {
    match grouping {
        Grouping::Total => "'total'",
        Grouping::Agency => "COALESCE(map_group, agency_key)",
        Grouping::Supplier => "org_number",
        Grouping::Contract => "contract_key",
        Grouping::Trade => "trade_key",
        // Months stay integers while grouped (cheaper to hash than text); the final SELECT
        // gives every key as text. The first month of the quarter or year, still `yyyymm`.
        Grouping::Month => "month",
        Grouping::Quarter => "(month / 100) * 100 + ((month % 100 - 1) / 3) * 3 + 1",
        Grouping::Year => "(month / 100) * 100 + 1",
    }
}

/// The months one group of `grouping` spans at most: the rollup can serve it at a grain that
/// divides this.
fn span(grouping: Grouping) -> u32 {
    match grouping {
        Grouping::Month => 1,
        Grouping::Quarter => 3,
        _ => 12,
    }
}

/// The rollup grain the hours can be read at (`None`: the month-grain facts): the coarsest
/// one that fits inside every group and whose periods the filter's months cover whole. One
/// import's hours are only in the facts.
fn hours_grain(filter: &HourFilter, groupings: &[Grouping]) -> Option<u32> {
    if filter.import_id.is_some() {
        return None;
    }
    let span = groupings.iter().map(|g| span(*g)).min().unwrap_or(12);
    [12, 3]
        .into_iter()
        .find(|g| span % g == 0 && rollup::aligned(*g, filter.from_month, filter.to_month))
}

fn hours_table(grain: Option<u32>) -> &'static str {
    match grain {
        Some(_) => "hour_rollup",
        None => "hour_fact",
    }
}

/// The label kind whose first spelling names a group.
pub(super) fn label_kind(grouping: Grouping) -> Option<&'static str> {
    match grouping {
        Grouping::Contract => Some("contract"),
        Grouping::Trade => Some("trade"),
        _ => None,
    }
}

/// One group as the statement returns it.
#[derive(Debug, FromQueryResult)]
pub(super) struct GroupRow {
    pub dim: String,
    pub sub: String,
    pub dim_label: Option<String>,
    pub sub_label: Option<String>,
    skilled: i64,
    apprentice: i64,
    unskilled: i64,
    administrative: i64,
    skilled_part: i64,
    skilled_base: i64,
    apprentice_part: i64,
    apprentice_base: i64,
    contract_skilled_sum: Option<f64>,
    contract_skilled_n: i64,
    contract_apprentice_sum: Option<f64>,
    contract_apprentice_n: i64,
    pub workers: i64,
}

impl GroupRow {
    pub fn sums(&self) -> GroupSums {
        GroupSums {
            all: Hours {
                skilled: self.skilled,
                apprentice: self.apprentice,
                unskilled: self.unskilled,
                administrative: self.administrative,
            },
            skilled: self.skilled_part,
            skilled_base: self.skilled_base,
            apprentice: self.apprentice_part,
            apprentice_base: self.apprentice_base,
            contract_skilled_sum: self.contract_skilled_sum.unwrap_or(0.0),
            contract_skilled_n: self.contract_skilled_n,
            contract_apprentice_sum: self.contract_apprentice_sum.unwrap_or(0.0),
            contract_apprentice_n: self.contract_apprentice_n,
        }
    }
}

/// What one grouped statement needs.
pub(super) struct Query<'a> {
    pub filter: &'a HourFilter,
    pub keys: &'a AgencyKeys,
    pub by: Grouping,
    pub then: Option<Grouping>,
    /// (stored agency key, the register's name) of every stored text that matches an agency;
    /// only read when a grouping is AGENCY.
    pub agency_map: Vec<(String, String)>,
    pub settings: &'a ShareSettings,
    /// Whether to work out the per-contract averages (`averageContract*Share`). They need the
    /// hours added up per (group, contract) first: by MONTH over five years 120,000 sums for
    /// 60 groups. Without them the hours are added up per group at once.
    pub per_contract: bool,
}

impl Query<'_> {
    /// The rollup grain its hours are read at (`None`: the month-grain facts).
    pub fn hours_grain(&self) -> Option<u32> {
        let groupings: Vec<Grouping> = [Some(self.by), self.then].into_iter().flatten().collect();
        hours_grain(self.filter, &groupings)
    }
}

/// The groups of `q`, one row each, in no particular order.
pub(super) async fn rows(
    conn: &impl ConnectionTrait,
    q: &Query<'_>,
) -> Result<Vec<GroupRow>, AppError> {
    let stmt = statement(conn.get_database_backend(), q, Part::Both);
    Ok(GroupRow::find_by_statement(stmt).all(conn).await?)
}

/// Which parts of the figures one statement returns: both, or one of them for statements run
/// side by side (`side_by_side.rs`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The hours and the distinct apprentices, joined per group: one statement.
    Both,
    /// The hours only; `workers` is 0 in every row.
    Hours,
    /// The distinct apprentices only, as [`WorkerRow`]s: of every worker (`None`), or of those
    /// whose stored key (hex digits) sorts below '8' (`Some(false)`) or from '8' on
    /// (`Some(true)`). The two halves share no worker and leave none out whatever the keys
    /// are, so their counts add up to the exact count; HMAC keys split about evenly.
    Workers(Option<bool>),
}

/// The distinct apprentices of one group, as [`Part::Workers`] returns them.
#[derive(Debug, FromQueryResult)]
pub(super) struct WorkerRow {
    pub dim: String,
    pub sub: String,
    pub n: i64,
}

pub(super) fn statement(backend: DbBackend, q: &Query<'_>, part: Part) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("WITH ");
    let join = agency_map(&mut sql, q);
    let half = match part {
        Part::Workers(half) => half,
        _ => None,
    };
    if !matches!(part, Part::Workers(_)) {
        hours_ctes(&mut sql, q, join);
    }
    if part != Part::Hours {
        workers_cte(&mut sql, q, join, half);
    }
    match part {
        Part::Workers(_) => {
            sql.push(
                "SELECT CAST(dim AS TEXT) AS dim, CAST(sub AS TEXT) AS sub, CAST(n AS BIGINT) AS n \
                 FROM workers",
            );
        }
        _ => final_select(&mut sql, q, part == Part::Both),
    }
    Statement::from_sql_and_values(backend, sql.text, sql.values)
}

/// The stored agency texts that match an agency, with the register's name, as a CTE ending in
/// `, ` when a grouping is AGENCY; the join that reads it.
fn agency_map(sql: &mut Sql, q: &Query<'_>) -> &'static str {
    if q.by != Grouping::Agency && q.then != Some(Grouping::Agency) {
        return "";
    }
    sql.push("agency_map (map_key, map_group) AS (VALUES ");
    if q.agency_map.is_empty() {
        // VALUES cannot be empty; a row that matches nothing.
        sql.push("(CAST(NULL AS TEXT), CAST(NULL AS TEXT))");
    }
    for (i, (key, name)) in q.agency_map.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(key.clone())
            .push(", ")
            .bind(name.clone())
            .push(")");
    }
    sql.push("), ");
    " LEFT JOIN agency_map ON map_key = agency_key"
}

/// The groupings' expressions (`dim`, `sub`) over a table read at `grain` (`None`: the
/// month-grain facts), and those to GROUP BY (PostgreSQL refuses a constant there: TOTAL
/// groups by nothing).
fn dimensions(
    q: &Query<'_>,
    grain: Option<u32>,
) -> (&'static str, &'static str, Vec<&'static str>) {
    // A rollup row's month is already the first month of its quarter or year: by the period
    // of its own grain the column itself is the key. Working the period out again from it
    // was a third of the hours' time by QUARTER (60,000 rows: 74 against 47 ms in psql).
    let at = |g: Grouping| match (g, grain) {
        (Grouping::Quarter, Some(3)) | (Grouping::Year, Some(12)) => "month",
        _ => dimension(g),
    };
    let dim = at(q.by);
    let sub = q.then.map_or(dimension(Grouping::Total), at);
    let group_by = [Some(q.by), q.then]
        .into_iter()
        .flatten()
        .filter(|g| *g != Grouping::Total)
        .map(at)
        .collect();
    (dim, sub, group_by)
}

/// `per_contract` and `per_group`, each ending in `, `.
fn hours_ctes(sql: &mut Sql, q: &Query<'_>, join: &str) {
    let backend = sql.backend;
    let grain = q.hours_grain();
    let (dim, sub, group_by) = dimensions(q, grain);
    let mut group_cols = group_by.join(", ");
    if !group_cols.is_empty() {
        group_cols.push_str(", ");
    }
    let trades = &q.settings.trades;
    let no_skilled = trades.keys_outside(|c| c.skilled);
    let no_apprentice = trades.keys_outside(|c| c.apprentice);
    let table = hours_table(grain);
    // Per (group, contract): the hours, and the parts in trades that count in each share
    // (the trade decided per fact row, so one pass); then per group, with the contracts' own
    // shares summed.
    let relevant = if q.settings.include_administrative {
        "skilled + apprentice + unskilled + administrative"
    } else {
        "skilled + apprentice + unskilled"
    };
    let sum = |expr: &str| rollup::sum_sql(backend, expr);
    sql.push(&format!(
        "per_contract AS (SELECT {dim} AS dim, {sub} AS sub, {} AS s, {} AS a, {} AS u, {} AS ad, ",
        sum("skilled"),
        sum("apprentice"),
        sum("unskilled"),
        sum("administrative"),
    ));
    // Each share's numerator and denominator count only the trades that count in it.
    let parts = [
        (&no_skilled, "skilled", "ks"),
        (&no_skilled, relevant, "kb"),
        (&no_apprentice, "apprentice", "pa"),
        (&no_apprentice, relevant, "pb"),
    ];
    for (i, (outside, hours, alias)) in parts.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("SUM(CASE WHEN ");
        sql.counts(outside);
        sql.push(&format!(
            " THEN {} ELSE 0 END) AS {alias}",
            rollup::as_summed(backend, hours)
        ));
    }
    sql.push(&format!(" FROM {table}{join} WHERE "));
    sql.filter(q.filter, q.keys, grain);
    let averages = if q.per_contract {
        sql.push(&format!(" GROUP BY {group_cols}contract_key), "));
        "SUM(CASE WHEN kb > 0 THEN CAST(ks AS DOUBLE PRECISION) * 100 / CAST(kb AS DOUBLE PRECISION) END) AS k_sum, \
         COUNT(CASE WHEN kb > 0 THEN 1 END) AS k_n, \
         SUM(CASE WHEN pb > 0 THEN CAST(pa AS DOUBLE PRECISION) * 100 / CAST(pb AS DOUBLE PRECISION) END) AS p_sum, \
         COUNT(CASE WHEN pb > 0 THEN 1 END) AS p_n"
    } else {
        // One row per group already; TOTAL (no GROUP BY) would give a row even without hours.
        match group_by.is_empty() {
            true => sql.push(" HAVING COUNT(*) > 0), "),
            false => sql.push(&format!(" GROUP BY {}), ", group_by.join(", "))),
        };
        "CAST(NULL AS DOUBLE PRECISION) AS k_sum, 0 AS k_n, \
         CAST(NULL AS DOUBLE PRECISION) AS p_sum, 0 AS p_n"
    };
    sql.push(&format!(
        "per_group AS (SELECT dim, sub, SUM(s) AS s, SUM(a) AS a, SUM(u) AS u, SUM(ad) AS ad, \
         SUM(ks) AS ks, SUM(kb) AS kb, SUM(pa) AS pa, SUM(pb) AS pb, {averages} \
         FROM per_contract GROUP BY dim, sub), "
    ));
}

/// `workers`, the distinct apprentices per group (of one half of the workers, see
/// [`Part::Workers`]), ending in a space.
fn workers_cte(sql: &mut Sql, q: &Query<'_>, join: &str, half: Option<bool>) {
    let (dim, sub, _) = dimensions(q, None);
    // Distinct apprentices, exact: each worker once per group, however many months, trades
    // or texts of one agency the worker's hours are under.
    // A constant side ('total') stays out of the DISTINCT: hashing 90,000 (month, worker)
    // pairs by MONTH was a fifth slower with it.
    let then = q.then.unwrap_or(Grouping::Total);
    // (expression, alias) of the sides that vary.
    let varying: Vec<(&str, &str)> = [(q.by, dim, "dim"), (then, sub, "sub")]
        .into_iter()
        .filter(|(g, ..)| *g != Grouping::Total)
        .map(|(_, expr, alias)| (expr, alias))
        .collect();
    let outer = |g: Grouping, alias| {
        if g == Grouping::Total {
            "'total'"
        } else {
            alias
        }
    };
    let mut distinct: Vec<String> = varying
        .iter()
        .map(|(expr, alias)| format!("{expr} AS {alias}"))
        .collect();
    distinct.push("worker_hash".to_string());
    let grouped: Vec<&str> = varying.iter().map(|(_, alias)| *alias).collect();
    sql.push(&format!(
        "workers AS (SELECT {} AS dim, {} AS sub, COUNT(*) AS n FROM (SELECT DISTINCT {} \
         FROM apprentice_fact{join} WHERE ",
        outer(q.by, "dim"),
        outer(then, "sub"),
        distinct.join(", ")
    ));
    sql.filter(q.filter, q.keys, None);
    match half {
        Some(false) => sql.push(" AND worker_hash < '8'"),
        Some(true) => sql.push(" AND worker_hash >= '8'"),
        None => sql,
    };
    sql.push(") distinct_workers");
    if !grouped.is_empty() {
        sql.push(" GROUP BY ").push(&grouped.join(", "));
    }
    sql.push(") ");
}

/// One row per group of `per_group` with its labels, and its apprentices when `workers`.
fn final_select(sql: &mut Sql, q: &Query<'_>, workers: bool) {
    if !workers {
        // `hours_ctes` left a `, ` for the CTE that follows; none does.
        sql.text
            .truncate(sql.text.trim_end_matches([',', ' ']).len());
        sql.push(" ");
    }
    let label = |kind: Option<&str>, alias: &str, column: &str| match kind {
        Some(kind) => (
            format!("{alias}.label"),
            format!(
                " LEFT JOIN hmsreg_label {alias} ON {alias}.kind = '{kind}' AND {alias}.key = per_group.{column}"
            ),
        ),
        None => ("CAST(NULL AS TEXT)".to_string(), String::new()),
    };
    let (dim_label, dim_join) = label(label_kind(q.by), "dim_label", "dim");
    let (sub_label, sub_join) = label(q.then.and_then(label_kind), "sub_label", "sub");
    let (count, workers_join) = match workers {
        true => (
            "COALESCE(workers.n, 0)",
            " LEFT JOIN workers ON workers.dim = per_group.dim AND workers.sub = per_group.sub",
        ),
        false => ("0", ""),
    };
    sql.push(&format!(
        "SELECT CAST(per_group.dim AS TEXT) AS dim, CAST(per_group.sub AS TEXT) AS sub, {dim_label} AS dim_label, \
         {sub_label} AS sub_label, \
         CAST(per_group.s AS BIGINT) AS skilled, CAST(per_group.a AS BIGINT) AS apprentice, \
         CAST(per_group.u AS BIGINT) AS unskilled, CAST(per_group.ad AS BIGINT) AS administrative, \
         CAST(per_group.ks AS BIGINT) AS skilled_part, CAST(per_group.kb AS BIGINT) AS skilled_base, \
         CAST(per_group.pa AS BIGINT) AS apprentice_part, CAST(per_group.pb AS BIGINT) AS apprentice_base, \
         per_group.k_sum AS contract_skilled_sum, CAST(per_group.k_n AS BIGINT) AS contract_skilled_n, \
         per_group.p_sum AS contract_apprentice_sum, CAST(per_group.p_n AS BIGINT) AS contract_apprentice_n, \
         CAST({count} AS BIGINT) AS workers \
         FROM per_group{workers_join}{dim_join}{sub_join}"
    ));
}

/// One contract's hours under one agency text and trade.
#[derive(Debug, FromQueryResult)]
pub(super) struct ContractRow {
    pub contract_key: String,
    pub agency_key: String,
    pub trade_key: String,
    pub skilled: i64,
    pub apprentice: i64,
    pub unskilled: i64,
    pub administrative: i64,
}

#[derive(Debug, FromQueryResult)]
struct ContractWorkers {
    contract_key: String,
    n: i64,
}

/// The hours per (contract, agency text, trade) under `filter`, and the distinct apprentices
/// per contract (exact: counted in the database, one number per contract).
pub(super) async fn contract_rows(
    conn: &impl ConnectionTrait,
    filter: &HourFilter,
    keys: &AgencyKeys,
) -> Result<(Vec<ContractRow>, HashMap<String, i64>), AppError> {
    let backend = conn.get_database_backend();
    let grain = hours_grain(filter, &[Grouping::Contract]);
    let mut sql = Sql::new(backend);
    let sum = |expr: &str| format!("CAST({} AS BIGINT)", rollup::sum_sql(backend, expr));
    sql.push(&format!(
        "SELECT contract_key, agency_key, trade_key, {} AS skilled, {} AS apprentice, \
         {} AS unskilled, {} AS administrative FROM {} WHERE ",
        sum("skilled"),
        sum("apprentice"),
        sum("unskilled"),
        sum("administrative"),
        hours_table(grain)
    ));
    sql.filter(filter, keys, grain)
        .push(" GROUP BY contract_key, agency_key, trade_key");
    let hours = ContractRow::find_by_statement(Statement::from_sql_and_values(
        backend, sql.text, sql.values,
    ))
    .all(conn)
    .await?;
    let mut sql = Sql::new(backend);
    sql.push(
        "SELECT contract_key, CAST(COUNT(DISTINCT worker_hash) AS BIGINT) AS n \
         FROM apprentice_fact WHERE ",
    );
    sql.filter(filter, keys, None)
        .push(" GROUP BY contract_key");
    let workers = ContractWorkers::find_by_statement(Statement::from_sql_and_values(
        backend, sql.text, sql.values,
    ))
    .all(conn)
    .await?
    .into_iter()
    .map(|w| (w.contract_key, w.n))
    .collect();
    Ok((hours, workers))
}
