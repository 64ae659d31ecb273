//! GraphQL for HMSREG: `importHmsreg`, `hmsregImports`, `workforceShares`, `trades`, and the
//! `WorkforceShare` that `supplierStatus.workforce` also returns.

use std::io::BufReader;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Upload};
use chrono::{DateTime, Utc};
use entity::hmsreg_import;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder, QuerySelect};

use super::{
    import::{
        Issue, Severity,
        service::{self, HmsregConfig, Status},
    },
    query::{self, HourFilter, WorkforceGrouping},
    shares::Share,
};
use crate::{
    auth::{self, Permission},
    config::Limits,
    error::{AppError, GqlResult},
    graphql::{
        nodes::WorkforceShare,
        pagination::{Page, PageRequest, page},
        parse_id,
        scalars::{Date, Decimal},
    },
    validate,
};

/// Months are what counts: `from` and `to` select the months they fall in, inclusive.
#[derive(InputObject, Default)]
pub struct WorkforceFilter {
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub agency: Option<String>,
    pub supplier_org_number: Option<String>,
    pub contract: Option<String>,
    pub import_id: Option<ID>,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum IssueSeverity {
    Error,
    Warning,
}

#[derive(SimpleObject, Clone)]
pub struct ImportIssue {
    pub severity: IssueSeverity,
    pub code: String,
    pub message: String,
    pub sheet: Option<String>,
    /// 1-based, as the spreadsheet shows it.
    pub row: Option<i32>,
    /// Letters, as the spreadsheet shows them.
    pub column: Option<String>,
}

impl From<Issue> for ImportIssue {
    fn from(i: Issue) -> Self {
        Self {
            severity: match i.severity {
                Severity::Error => IssueSeverity::Error,
                Severity::Warning => IssueSeverity::Warning,
            },
            code: i.code,
            message: i.message,
            sheet: i.sheet,
            row: i.row.map(|r| i32::try_from(r).unwrap_or(i32::MAX)),
            column: i.column,
        }
    }
}

pub struct HmsregImport(pub hmsreg_import::Model);

#[Object]
impl HmsregImport {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn file_name(&self) -> &str {
        &self.0.file_name
    }

    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    async fn imported_at(&self) -> DateTime<Utc> {
        self.0.imported_at
    }

    async fn imported_by(&self) -> &str {
        &self.0.imported_by
    }

    /// Hour rows taken in.
    async fn row_count(&self) -> i32 {
        i32::try_from(self.0.row_count).unwrap_or(i32::MAX)
    }

    async fn period_from(&self) -> Option<Date> {
        self.0.period_from.map(Date)
    }

    async fn period_to(&self) -> Option<Date> {
        self.0.period_to.map(Date)
    }

    async fn warnings(&self) -> GqlResult<Vec<ImportIssue>> {
        let issues: Vec<Issue> =
            serde_json::from_str(&self.0.warnings).map_err(AppError::internal)?;
        Ok(issues.into_iter().map(ImportIssue::from).collect())
    }

    /// The shares of this import's hours as they stand (a later file may have replaced some).
    async fn total(&self, ctx: &Context<'_>) -> GqlResult<WorkforceShare> {
        let filter = HourFilter {
            import_id: Some(self.0.id),
            ..Default::default()
        };
        total(ctx, &filter).await.map(|s| s.into())
    }
}

async fn total(ctx: &Context<'_>, filter: &HourFilter) -> GqlResult<Share> {
    let config = ctx.data_unchecked::<HmsregConfig>();
    let db = ctx.data_unchecked::<DatabaseConnection>();
    Ok(query::total(db, filter, &config.shares).await?)
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ImportStatus {
    Accepted,
    Rejected,
}

#[derive(SimpleObject)]
pub struct HmsregImportPayload {
    pub status: ImportStatus,
    /// Null when rejected, or on a dry run.
    pub import: Option<HmsregImport>,
    /// Every ERROR and WARNING found.
    pub issues: Vec<ImportIssue>,
    /// The file's shares, also on a dry run; null when rejected.
    pub total: Option<WorkforceShare>,
}

fn month_of(d: Date) -> u32 {
    crate::domain::month::of(d.0)
}

/// A filter by agency or contract name: compared by its key, like the stored names.
fn name_filter(field: &str, value: Option<String>) -> Result<Option<String>, AppError> {
    Ok(validate::search_term(field, value)?.map(|v| validate::search_key(&v)))
}

/// An agency text in imported hours that matches no agency of the register.
#[derive(SimpleObject)]
pub struct UnknownAgencyName {
    pub text: String,
    /// Every category.
    pub hours: Decimal,
    /// The imports holding such hours.
    pub imports: i32,
}

/// A trade in HMSREG's trade column, as the trade catalogue (`SAMKJOP_TRADES_FILE`) has it.
#[derive(SimpleObject)]
pub struct Trade {
    pub name: String,
    /// A craft trade (håndverksfag): its hours count in the skilled-worker share.
    pub craft: bool,
    /// A trade with a particular need for apprentices: its hours count in the apprentice share.
    pub apprentice_trade: bool,
    /// The other texts that name it, compared trimmed, spaces collapsed, without case.
    pub spellings: Vec<String>,
}

#[derive(Default)]
pub struct HmsregQueries;

#[Object]
impl HmsregQueries {
    /// Agency texts in the imported hours that match no agency, with their hours. Adding a
    /// text as an alias (addAgencyAlias) counts its hours under that agency at once.
    async fn unknown_agency_names(&self, ctx: &Context<'_>) -> GqlResult<Vec<UnknownAgencyName>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadWorkforce).await?;
        if scope != crate::auth::Scope::All {
            return Err(AppError::Forbidden(
                "unknown agency names belong to no agency: only ADMIN, ADVISER and CLIMATE_OFFICE see them".into(),
            )
            .into());
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(super::agencies::unknown_names(db)
            .await?
            .into_iter()
            .map(|u| UnknownAgencyName {
                text: u.text,
                hours: Decimal::from_hundredths(u.hours),
                imports: i32::try_from(u.imports).unwrap_or(i32::MAX),
            })
            .collect())
    }

    /// Imported files, newest first (ADMIN and ADVISER).
    async fn hmsreg_imports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> GqlResult<Page<HmsregImport>> {
        auth::require(ctx, Permission::ImportHmsreg)?;
        let request = PageRequest::new(first, after.as_deref(), ctx.data_unchecked::<Limits>())?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let total = hmsreg_import::Entity::find().count(db).await?;
        let rows = hmsreg_import::Entity::find()
            .order_by_desc(hmsreg_import::Column::Id)
            .offset(request.offset)
            .limit(request.limit)
            .all(db)
            .await?;
        Ok(page(
            request,
            Some(total),
            rows.into_iter().map(HmsregImport).collect(),
        ))
    }

    /// The trade catalogue, sorted by name: which HMSREG trades count in the skilled-worker
    /// share (craft) and which in the apprentice share (apprenticeTrade).
    async fn trades(&self, ctx: &Context<'_>) -> GqlResult<Vec<Trade>> {
        auth::viewer(ctx)?;
        let config = ctx.data_unchecked::<HmsregConfig>();
        Ok(config
            .shares
            .trades
            .trades()
            .iter()
            .map(|t| Trade {
                name: t.name.clone(),
                craft: t.craft,
                apprentice_trade: t.apprentice_trade,
                spellings: t.spellings.clone(),
            })
            .collect())
    }

    /// Skilled-worker and apprentice shares per group, sorted by key. With `thenBy`, one row
    /// per pair of keys (`key` from groupBy, `subKey` from thenBy) that has hours, sorted by
    /// key then subKey: AGENCY then QUARTER is the quarterly agency report. A buyer sees only
    /// the hours of its own agency.
    async fn workforce_shares(
        &self,
        ctx: &Context<'_>,
        filter: Option<WorkforceFilter>,
        group_by: WorkforceGrouping,
        then_by: Option<WorkforceGrouping>,
    ) -> GqlResult<Vec<WorkforceShare>> {
        let (_, scope) = auth::require_scope(ctx, Permission::ReadWorkforce).await?;
        if then_by == Some(group_by) {
            return Err(AppError::bad_input(
                "thenBy",
                "thenBy must differ from groupBy: a pair of the same keys is the group itself",
            )
            .into());
        }
        let f = filter.unwrap_or_default();
        if let (Some(from), Some(to)) = (f.from, f.to)
            && from > to
        {
            return Err(AppError::bad_input("to", "to is before from").into());
        }
        let hour_filter = HourFilter {
            from_month: f.from.map(month_of),
            to_month: f.to.map(month_of),
            agency: name_filter("agency", f.agency)?,
            org_number: f
                .supplier_org_number
                .as_deref()
                .map(|o| validate::org_number("supplierOrgNumber", o))
                .transpose()?,
            contract: name_filter("contract", f.contract)?,
            // An id that names no import selects no hours.
            import_id: f.import_id.as_ref().map(|id| parse_id(id).unwrap_or(0)),
            scope_agency: scope.agency_id(),
        };
        let config = ctx.data_unchecked::<HmsregConfig>();
        let db = ctx.data_unchecked::<DatabaseConnection>();
        // The per-contract averages cost a sum per (group, contract); only asked, they are made.
        let look = ctx.look_ahead();
        let averages = look.field("averageContractSkilledShare").exists()
            || look.field("averageContractApprenticeShare").exists();
        let groups = query::shares_by(
            db,
            &hour_filter,
            group_by,
            then_by,
            averages,
            &config.shares,
        )
        .await?;
        Ok(groups.into_iter().map(WorkforceShare::from).collect())
    }
}

#[derive(Default)]
pub struct HmsregMutations;

#[Object]
impl HmsregMutations {
    /// Imports an HMSREG export (.xlsx, .xlsm, .xls, .ods or .csv). Any ERROR rejects the whole
    /// file and nothing is written; `dryRun` checks and computes without writing.
    async fn import_hmsreg(
        &self,
        ctx: &Context<'_>,
        file: Upload,
        dry_run: Option<bool>,
    ) -> GqlResult<HmsregImportPayload> {
        let viewer = auth::require(ctx, Permission::ImportHmsreg)?;
        let upload = file
            .value(ctx)
            .map_err(|_| AppError::bad_input("file", "the upload could not be read"))?;
        let config = ctx.data_unchecked::<HmsregConfig>().clone();
        let name = upload.filename.clone();
        let content = upload.content;
        let checked = {
            let name = name.clone();
            let config = config.clone();
            tokio::task::spawn_blocking(move || {
                service::read_and_check(BufReader::new(content), &name, &config)
            })
            .await
            .map_err(AppError::internal)?
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let outcome = service::store(
            db,
            &config,
            viewer.actor(),
            &name,
            checked,
            dry_run.unwrap_or(false),
        )
        .await?;
        Ok(HmsregImportPayload {
            status: match outcome.status {
                Status::Accepted => ImportStatus::Accepted,
                Status::Rejected => ImportStatus::Rejected,
            },
            import: outcome.import.map(HmsregImport),
            issues: outcome.issues.into_iter().map(ImportIssue::from).collect(),
            total: outcome.total.map(WorkforceShare::from),
        })
    }
}
