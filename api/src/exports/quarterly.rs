//! `GET /exports/quarterly-report.xlsx?year=Y`: the quarterly agency report (docs/rules.md,
//! Quarterly agency report), for ADMIN, ADVISER and CLIMATE_OFFICE.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;

use super::{
    attachment, failure,
    quarterly_sheet::{self, Indicator, ReportRow},
    signed_in,
};
use crate::{
    auth::Permission,
    domain::month,
    error::AppError,
    hmsreg::{
        query::{self, Grouping, HourFilter},
        shares::Share,
    },
    http::AppState,
};

#[derive(Deserialize)]
pub struct QuarterlyParams {
    year: String,
}

pub async fn quarterly_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<QuarterlyParams>,
) -> HttpResponse {
    match workbook(&req, &state, &params).await {
        Ok((year, bytes)) => attachment(&format!("kvartalsrapport-{year}.xlsx"), bytes),
        Err(e) => failure(e),
    }
}

fn year(text: &str) -> Result<i32, AppError> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| crate::goals::service::YEARS.contains(y))
        .ok_or_else(|| {
            AppError::bad_input("year", "year must be a whole year between 2000 and 2100")
        })
}

/// The months of quarter `q` (0-3) of `year`, or of the whole year.
fn months(year: i32, q: Option<u32>) -> (u32, u32) {
    let first = |m: u32| month::of(NaiveDate::from_ymd_opt(year, m, 1).unwrap_or_default());
    match q {
        Some(q) => (first(q * 3 + 1), first(q * 3 + 3)),
        None => (first(1), first(12)),
    }
}

/// Per agency, then for the total, the shares of the four quarters and the year.
async fn shares(
    state: &AppState,
    year: i32,
) -> Result<(BTreeMap<String, [Option<Share>; 5]>, [Option<Share>; 5]), AppError> {
    let mut agencies: BTreeMap<String, [Option<Share>; 5]> = BTreeMap::new();
    let mut total: [Option<Share>; 5] = Default::default();
    for (i, q) in [Some(0), Some(1), Some(2), Some(3), None]
        .into_iter()
        .enumerate()
    {
        let (from, to) = months(year, q);
        let filter = HourFilter {
            from_month: Some(from),
            to_month: Some(to),
            ..Default::default()
        };
        let settings = &state.hmsreg.shares;
        for s in
            query::shares_by(&state.db, &filter, Grouping::Agency, None, true, settings).await?
        {
            let key = s.key.clone();
            agencies.entry(key).or_default()[i] = Some(s);
        }
        total[i] = query::total(&state.db, &filter, settings).await.map(Some)?;
    }
    Ok((agencies, total))
}

async fn workbook(
    req: &HttpRequest,
    state: &AppState,
    p: &QuarterlyParams,
) -> Result<(i32, Vec<u8>), AppError> {
    signed_in(req, state, Permission::ReadClimateStats).await?;
    let year = year(&p.year)?;
    let (agencies, total) = shares(state, year).await?;
    let row =
        |name: &str, values: &[Option<Share>; 5], pick: fn(&Share) -> Option<f64>| ReportRow {
            name: name.to_string(),
            values: std::array::from_fn(|i| values[i].as_ref().and_then(pick)),
        };
    let skilled = |s: &Share| s.skilled_share;
    let apprentice = |s: &Share| s.apprentice_share;
    // Hours without an agency are in the total but are no agency's row.
    let named = agencies
        .iter()
        .filter(|(name, _)| name.as_str() != crate::domain::agency::NO_AGENCY);
    let skilled_rows: Vec<ReportRow> = named.clone().map(|(n, v)| row(n, v, skilled)).collect();
    let apprentice_rows: Vec<ReportRow> = named.map(|(n, v)| row(n, v, apprentice)).collect();
    let total_name = "Oslo kommune totalt";
    let settings = &state.hmsreg.shares;
    let bytes = quarterly_sheet::report(
        year,
        &[
            Indicator {
                sheet: "Fagarbeidere",
                title: "Andel fagarbeidere innen håndverksfagene",
                target: settings.skilled_target,
                rows: &skilled_rows,
                total: &row(total_name, &total, skilled),
            },
            Indicator {
                sheet: "Lærlinger",
                title: "Andel timer i relevante fag utført av lærlinger",
                target: settings.apprentice_target,
                rows: &apprentice_rows,
                total: &row(total_name, &total, apprentice),
            },
        ],
    )
    .map_err(AppError::internal)?;
    Ok((year, bytes))
}
