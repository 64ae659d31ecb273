//! Downloads for the climate office: `GET /exports/climate-stats.xlsx` and
//! `GET /exports/workforce-shares.xlsx` and `GET /exports/quarterly-report.xlsx`, bearer token
//! required like the API.

use std::collections::BTreeSet;

use sea_orm::{ActiveEnum as _, Iterable as _};

pub mod quarterly;
mod quarterly_sheet;
pub mod workbook;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::{
    auth::{Permission, Scope, Viewer},
    error::AppError,
    hmsreg::query::{self, Grouping, HourFilter},
    http::{AppState, error_response, viewer_from_header},
    tenders::{stats, stats_source},
    validate,
};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

pub(super) fn failure(err: AppError) -> HttpResponse {
    let status = match err {
        AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::BadInput { .. } => StatusCode::BAD_REQUEST,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Internal(ref cause) => {
            tracing::error!(error = format!("{cause:#}"), "export failed");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    };
    error_response(status, err.code(), &err.to_string())
}

/// The signed-in viewer and how far `permission` reaches for them, a buyer's agency resolved
/// through the register.
pub(super) async fn signed_in(
    req: &HttpRequest,
    state: &AppState,
    permission: Permission,
) -> Result<(Viewer, Scope), AppError> {
    let viewer = viewer_from_header(req, &state.auth)
        .map_err(AppError::Unauthenticated)?
        .ok_or_else(|| {
            AppError::Unauthenticated("send the header 'Authorization: Bearer <token>'".into())
        })?;
    let scope =
        crate::agencies::service::resolve_scope(&state.db, viewer.scope(permission)?).await?;
    Ok((viewer, scope))
}

fn date(field: &str, value: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| {
        AppError::bad_input(field, format!("'{value}' is not a date: write YYYY-MM-DD"))
    })
}

fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), AppError> {
    let (from, to) = (date("from", from)?, date("to", to)?);
    if to < from {
        return Err(AppError::bad_input("to", "to is before from"));
    }
    Ok((from, to))
}

pub(super) fn attachment(name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes)
}

#[derive(Deserialize)]
pub struct ClimateParams {
    from: String,
    to: String,
    agency: Option<String>,
}

pub async fn climate_stats(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<ClimateParams>,
) -> HttpResponse {
    match climate_workbook(&req, &state, &params).await {
        Ok(bytes) => attachment(
            &format!(
                "klimastatistikk-{}-{}.xlsx",
                params.from.trim(),
                params.to.trim()
            ),
            bytes,
        ),
        Err(e) => failure(e),
    }
}

async fn climate_workbook(
    req: &HttpRequest,
    state: &AppState,
    p: &ClimateParams,
) -> Result<Vec<u8>, AppError> {
    signed_in(req, state, Permission::ReadClimateStats).await?;
    let (from, to) = period(&p.from, &p.to)?;
    let agency = validate::optional_text("agency", p.agency.as_deref(), 200)?;
    // The figures count the checks as recorded, as climateStats does.
    let period = stats_source::load(&state.db, agency.as_deref(), from, to).await?;
    let mut quarters = Vec::new();
    for (start, end) in stats::quarters(from, to) {
        quarters.push((start, end, stats::over_period(&period.tenders, start, end)));
    }
    let total = stats::over_period(&period.tenders, from, to);
    workbook::climate(
        from,
        to,
        agency.as_deref(),
        &rules_versions(&period.rules_versions, &state.catalogue.version),
        &quarters,
        &total,
    )
    .map_err(AppError::internal)
}

/// The catalogue versions the counted checks were recorded with ("a, b" when a recheck or a
/// new rule file came between them); the one in force when the period has no tenders.
fn rules_versions(recorded: &BTreeSet<String>, in_force: &str) -> String {
    if recorded.is_empty() {
        in_force.to_string()
    } else {
        recorded
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkforceParams {
    from: String,
    to: String,
    group_by: String,
}

/// The grouping as a Norwegian title says it.
fn grouping_word(g: Grouping) -> &'static str {
    match g {
        Grouping::Total => "totalt",
        Grouping::Agency => "virksomhet",
        Grouping::Supplier => "leverandør",
        Grouping::Contract => "kontrakt",
        Grouping::Trade => "fag",
        Grouping::Month => "måned",
        Grouping::Quarter => "kvartal",
        Grouping::Year => "år",
    }
}

fn grouping(text: &str) -> Result<Grouping, AppError> {
    let wanted = text.trim().to_uppercase();
    Grouping::iter()
        .find(|g| g.to_value() == wanted)
        .ok_or_else(|| {
            AppError::bad_input(
                "groupBy",
                "use TOTAL, AGENCY, SUPPLIER, CONTRACT, TRADE, MONTH, QUARTER or YEAR",
            )
        })
}

pub async fn workforce_shares(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<WorkforceParams>,
) -> HttpResponse {
    match workforce_workbook(&req, &state, &params).await {
        Ok(bytes) => attachment(
            &format!(
                "fagarbeiderandeler-{}-{}.xlsx",
                params.from.trim(),
                params.to.trim()
            ),
            bytes,
        ),
        Err(e) => failure(e),
    }
}

async fn workforce_workbook(
    req: &HttpRequest,
    state: &AppState,
    p: &WorkforceParams,
) -> Result<Vec<u8>, AppError> {
    let (_, scope) = signed_in(req, state, Permission::ReadWorkforce).await?;
    let (from, to) = period(&p.from, &p.to)?;
    let group = grouping(&p.group_by)?;
    let month = crate::domain::month::of;
    let filter = HourFilter {
        from_month: Some(month(from)),
        to_month: Some(month(to)),
        scope_agency: scope.agency_id(),
        ..Default::default()
    };
    let config = &state.hmsreg;
    let groups = query::shares_by(&state.db, &filter, group, None, true, &config.shares).await?;
    let whose = match &scope {
        Scope::All => "alle virksomheter".to_string(),
        Scope::Agency(a) => format!("virksomhet {}", a.name),
    };
    let title = format!(
        "Andel fagarbeidere og lærlinger per {}",
        grouping_word(group)
    );
    let period = format!(
        "Månedene {} til {}, {whose}. Mål: fagarbeidere {} %, lærlinger {} %.",
        from.format("%Y-%m"),
        to.format("%Y-%m"),
        config.shares.skilled_target,
        config.shares.apprentice_target
    );
    let follow_up = crate::tenders::followup::follow_up(
        &state.db,
        &crate::tenders::followup::FollowUpQuery {
            from_month: Some(month(from)),
            to_month: Some(month(to)),
            ..Default::default()
        },
        &scope,
        &config.shares,
    )
    .await?;
    workbook::workforce(&title, &period, &groups, &follow_up).map_err(AppError::internal)
}
