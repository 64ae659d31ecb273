//! The agreement and the supplier as GraphQL returns them: shared, because the portfolio,
//! the register and the watchlist all return them and each links to the other.

use crate::graphql::enums::FromStored as _;

use async_graphql::{
    Context, ID, Object, SimpleObject,
    dataloader::{DataLoader, Loader},
};
use entity::{agreement, agreement_area, supplier};

use super::{Agency, RegistryStatus};
use crate::{
    clock,
    domain::kinds::{AgreementKind, ProcurementCategory},
    error::{AppError, GqlResult},
    graphql::{
        loaders::{LoadError, load_error},
        scalars::{Date, Decimal},
    },
    portfolio::{
        loaders::{
            AgreementsOfArea, AgreementsOfSupplier, AreaById, OptionsOfAgreement,
            ParticipantsOfAgreement, RankedSupplier, SuppliersOfAgreement, TurnoverOfAgreement,
        },
        status::{self, AgreementStatus},
    },
    registry::loaders::RegistryByOrgNumber,
    watchlist::loaders::WatchlistedOn,
};

pub struct AgreementArea(pub agreement_area::Model);

#[Object]
impl AgreementArea {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Every agreement in the area, by reference.
    async fn agreements(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agreement>> {
        agreements_of::<AgreementsOfArea>(ctx, self.0.id).await
    }
}

/// The agreements a batched loader finds for `key` (an area's, a supplier's).
async fn agreements_of<L>(ctx: &Context<'_>, key: i64) -> GqlResult<Vec<Agreement>>
where
    L: Loader<i64, Value = Vec<agreement::Model>, Error = LoadError>,
{
    let loader = ctx.data_unchecked::<DataLoader<L>>();
    let rows = loader.load_one(key).await.map_err(load_error)?;
    Ok(rows
        .unwrap_or_default()
        .into_iter()
        .map(Agreement::from)
        .collect())
}

/// A joint framework agreement (samkjøpsavtale).
pub struct Agreement {
    pub model: agreement::Model,
    /// What the statements that found the agreement already fetched for its fields.
    prefetched: Prefetched,
}

/// An agreement's nested rows, fetched with its page (see `portfolio::prefetch`); `None`: the
/// field asks its batched loader.
#[derive(Default)]
pub struct Prefetched {
    pub area: Option<agreement_area::Model>,
    pub suppliers: Option<Vec<RankedSupplier>>,
}

impl From<agreement::Model> for Agreement {
    fn from(model: agreement::Model) -> Self {
        Self {
            model,
            prefetched: Prefetched::default(),
        }
    }
}

impl Agreement {
    pub fn prefetched(model: agreement::Model, prefetched: Prefetched) -> Self {
        Self { model, prefetched }
    }
}

#[Object]
impl Agreement {
    async fn id(&self) -> ID {
        ID(self.model.id.to_string())
    }

    async fn reference(&self) -> &str {
        &self.model.reference
    }

    async fn title(&self) -> &str {
        &self.model.title
    }

    async fn area(&self, ctx: &Context<'_>) -> GqlResult<AgreementArea> {
        if let Some(area) = &self.prefetched.area {
            return Ok(AgreementArea(area.clone()));
        }
        let loader = ctx.data_unchecked::<DataLoader<AreaById>>();
        let area = loader
            .load_one(self.model.area_id)
            .await
            .map_err(load_error)?;
        let area = area.ok_or_else(|| {
            AppError::internal(anyhow::anyhow!("agreement {} has no area", self.model.id))
        })?;
        Ok(AgreementArea(area))
    }

    async fn kind(&self) -> GqlResult<AgreementKind> {
        Ok(AgreementKind::from_stored(&self.model.kind)?)
    }

    async fn category(&self) -> GqlResult<ProcurementCategory> {
        Ok(ProcurementCategory::from_stored(&self.model.category)?)
    }

    async fn starts_on(&self) -> Date {
        Date(self.model.starts_on)
    }

    async fn ends_on(&self) -> Date {
        Date(self.model.ends_on)
    }

    /// The last end date if every option is used: with options, endsOn + the months of those
    /// not yet used.
    async fn max_ends_on(&self) -> Date {
        Date(self.model.max_ends_on)
    }

    /// From the dates (today, in Oslo), unless terminated.
    async fn status(&self) -> AgreementStatus {
        status::status(
            self.model.terminated,
            self.model.starts_on,
            self.model.ends_on,
            clock::today(),
        )
    }

    /// NOK.
    async fn estimated_annual_value(&self) -> Option<Decimal> {
        self.model
            .estimated_annual_value
            .map(Decimal::from_hundredths)
    }

    /// Ranked suppliers first, by rank; then the others by name.
    async fn suppliers(&self, ctx: &Context<'_>) -> GqlResult<Vec<AgreementSupplier>> {
        let rows = match &self.prefetched.suppliers {
            Some(rows) => rows.clone(),
            None => {
                let loader = ctx.data_unchecked::<DataLoader<SuppliersOfAgreement>>();
                let rows = loader.load_one(self.model.id).await.map_err(load_error)?;
                rows.unwrap_or_default()
            }
        };
        Ok(rows
            .into_iter()
            .map(|r| AgreementSupplier {
                supplier: Supplier::with_watchlist_flag(r.supplier, r.watchlisted),
                rank: r.rank,
            })
            .collect())
    }

    /// One row per year, oldest first.
    async fn turnover(&self, ctx: &Context<'_>) -> GqlResult<Vec<Turnover>> {
        let loader = ctx.data_unchecked::<DataLoader<TurnoverOfAgreement>>();
        let rows = loader.load_one(self.model.id).await.map_err(load_error)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|t| Turnover {
                year: t.year,
                amount: Decimal::from_hundredths(t.amount),
            })
            .collect())
    }

    /// The agencies that may buy under the agreement, by name; empty: every agency may.
    async fn participants(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        let loader = ctx.data_unchecked::<DataLoader<ParticipantsOfAgreement>>();
        let rows = loader.load_one(self.model.id).await.map_err(load_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Agency).collect())
    }

    /// Options to extend the agreement, in the order they are used (the earliest unused first).
    async fn options(&self, ctx: &Context<'_>) -> GqlResult<Vec<AgreementOption>> {
        let loader = ctx.data_unchecked::<DataLoader<OptionsOfAgreement>>();
        let rows = loader.load_one(self.model.id).await.map_err(load_error)?;
        Ok(rows
            .unwrap_or_default()
            .into_iter()
            .map(|o| AgreementOption {
                months: o.months,
                exercised_on: o.exercised_on.map(Date),
                ends_on: o.ends_on.map(Date),
            })
            .collect())
    }

    async fn version(&self) -> i32 {
        self.model.version
    }
}

/// An option to extend an agreement (opsjon), used with exerciseOption.
#[derive(SimpleObject)]
pub struct AgreementOption {
    /// How many months using it adds to endsOn.
    pub months: i32,
    /// The day it was used; null while unused.
    pub exercised_on: Option<Date>,
    /// The endsOn it set when it was used; null while unused.
    pub ends_on: Option<Date>,
}

#[derive(SimpleObject)]
pub struct AgreementSupplier {
    pub supplier: Supplier,
    pub rank: Option<i32>,
}

#[derive(SimpleObject)]
pub struct Turnover {
    pub year: i32,
    /// NOK.
    pub amount: Decimal,
}

/// A supplier in the register.
pub struct Supplier {
    pub model: supplier::Model,
    /// The watchlist flag, when the statement that found the supplier already answered it.
    watchlisted: Option<bool>,
}

impl From<supplier::Model> for Supplier {
    fn from(model: supplier::Model) -> Self {
        Self {
            model,
            watchlisted: None,
        }
    }
}

impl Supplier {
    pub fn with_watchlist_flag(model: supplier::Model, watchlisted: bool) -> Self {
        Self {
            model,
            watchlisted: Some(watchlisted),
        }
    }
}

#[Object]
impl Supplier {
    async fn id(&self) -> ID {
        ID(self.model.id.to_string())
    }

    /// 9 digits, no spaces.
    async fn org_number(&self) -> &str {
        &self.model.org_number
    }

    async fn name(&self) -> &str {
        &self.model.name
    }

    /// Every agreement the supplier is on, whatever its status, by reference.
    async fn agreements(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agreement>> {
        agreements_of::<AgreementsOfSupplier>(ctx, self.model.id).await
    }

    /// On the watchlist today.
    async fn watchlisted(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        if let Some(known) = self.watchlisted {
            return Ok(known);
        }
        let loader = ctx.data_unchecked::<DataLoader<WatchlistedOn>>();
        Ok(loader
            .load_one(self.model.id)
            .await
            .map_err(load_error)?
            .unwrap_or(false))
    }

    /// What the public register (Enhetsregisteret) said in the last file imported; null when
    /// that file did not list the number, or no file has been imported yet.
    async fn registry(&self, ctx: &Context<'_>) -> GqlResult<Option<RegistryStatus>> {
        let loader = ctx.data_unchecked::<DataLoader<RegistryByOrgNumber>>();
        Ok(loader
            .load_one(self.model.org_number.clone())
            .await
            .map_err(load_error)?
            .map(RegistryStatus::from))
    }
}
