//! Batched look-ups for the portfolio's nested fields.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use entity::{
    agreement, agreement_area, agreement_option, agreement_participant, agreement_supplier,
    supplier, turnover, watchlist_entry,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, Iterable, Order,
    QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, Query},
};

use crate::{
    agencies, db, domain::agency::Agency, domain::text::search_key, error::AppError,
    graphql::loaders::LoadError, watchlist::asof,
};

pub struct AreaById(pub DatabaseConnection);

impl Loader<i64> for AreaById {
    type Value = agreement_area::Model;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = agreement_area::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                agreement_area::Column::Id,
                keys.to_vec(),
            ))
            .all(&self.0)
            .await?;
        Ok(rows.into_iter().map(|a| (a.id, a)).collect())
    }
}

/// A supplier on an agreement with its rank, and whether it is on the watchlist that day.
#[derive(Clone)]
pub struct RankedSupplier {
    pub supplier: supplier::Model,
    pub rank: Option<i32>,
    pub watchlisted: bool,
}

/// The suppliers of each agreement: ranked ones first by rank, then the rest by name. One
/// statement joins the links to the suppliers and asks the watchlist for each: a page's
/// suppliers and their flags come in one round trip, not three in a row.
pub struct SuppliersOfAgreement {
    pub db: DatabaseConnection,
    /// The day the watchlist flags are for (today in Oslo).
    pub day: NaiveDate,
}

impl Loader<i64> for SuppliersOfAgreement {
    type Value = Vec<RankedSupplier>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let backend = self.db.get_database_backend();
        let listed = Query::select()
            .expr(Expr::val(1))
            .from(watchlist_entry::Entity)
            .and_where(
                Expr::col((watchlist_entry::Entity, watchlist_entry::Column::SupplierId))
                    .equals((supplier::Entity, supplier::Column::Id)),
            )
            .cond_where(asof::active_condition(self.day))
            .to_owned();
        let select = Query::select()
            .columns(supplier::Column::iter().map(|c| (supplier::Entity, c)))
            .expr_as(
                Expr::col((
                    agreement_supplier::Entity,
                    agreement_supplier::Column::AgreementId,
                )),
                LINK_OWNER,
            )
            .expr_as(
                Expr::col((agreement_supplier::Entity, agreement_supplier::Column::Rank)),
                LINK_RANK,
            )
            .expr_as(Expr::exists(listed), LINK_LISTED)
            .from(agreement_supplier::Entity)
            .inner_join(
                supplier::Entity,
                Expr::col((supplier::Entity, supplier::Column::Id)).equals((
                    agreement_supplier::Entity,
                    agreement_supplier::Column::SupplierId,
                )),
            )
            .and_where(db::key_in(
                backend,
                agreement_supplier::Column::AgreementId,
                keys.to_vec(),
            ))
            .to_owned();
        let mut out: HashMap<i64, Vec<RankedSupplier>> = HashMap::new();
        for row in self.db.query_all(&select).await? {
            let owner: i64 = row.try_get("", LINK_OWNER)?;
            out.entry(owner).or_default().push(RankedSupplier {
                supplier: supplier::Model::from_query_result(&row, "")?,
                rank: row.try_get("", LINK_RANK)?,
                watchlisted: row.try_get("", LINK_LISTED)?,
            });
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| {
                (a.rank.is_none(), a.rank, &a.supplier.search_key).cmp(&(
                    b.rank.is_none(),
                    b.rank,
                    &b.supplier.search_key,
                ))
            });
        }
        Ok(out)
    }
}

/// Names of the link's columns beside the joined row's own (no table has columns so named).
const LINK_OWNER: &str = "link_owner";
const LINK_RANK: &str = "link_rank";
const LINK_LISTED: &str = "link_watchlisted";

/// Turnover rows per agreement, oldest year first.
pub struct TurnoverOfAgreement(pub DatabaseConnection);

impl Loader<i64> for TurnoverOfAgreement {
    type Value = Vec<turnover::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = turnover::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                turnover::Column::AgreementId,
                keys.to_vec(),
            ))
            .order_by_asc(turnover::Column::Year)
            .all(&self.0)
            .await?;
        let mut out: HashMap<i64, Vec<turnover::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.agreement_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// The agreements of each area, by reference.
pub struct AgreementsOfArea(pub DatabaseConnection);

impl Loader<i64> for AgreementsOfArea {
    type Value = Vec<agreement::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = agreement::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                agreement::Column::AreaId,
                keys.to_vec(),
            ))
            .order_by_asc(agreement::Column::Reference)
            .all(&self.0)
            .await?;
        let mut out: HashMap<i64, Vec<agreement::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.area_id).or_default().push(row);
        }
        Ok(out)
    }
}

/// The agreements each supplier is on, by reference: the links joined to the agreements.
pub struct AgreementsOfSupplier(pub DatabaseConnection);

impl Loader<i64> for AgreementsOfSupplier {
    type Value = Vec<agreement::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let backend = self.0.get_database_backend();
        let select = Query::select()
            .columns(agreement::Column::iter().map(|c| (agreement::Entity, c)))
            .expr_as(
                Expr::col((
                    agreement_supplier::Entity,
                    agreement_supplier::Column::SupplierId,
                )),
                LINK_OWNER,
            )
            .from(agreement_supplier::Entity)
            .inner_join(
                agreement::Entity,
                Expr::col((agreement::Entity, agreement::Column::Id)).equals((
                    agreement_supplier::Entity,
                    agreement_supplier::Column::AgreementId,
                )),
            )
            .and_where(db::key_in(
                backend,
                agreement_supplier::Column::SupplierId,
                keys.to_vec(),
            ))
            .order_by(
                (agreement::Entity, agreement::Column::Reference),
                Order::Asc,
            )
            .to_owned();
        let mut out: HashMap<i64, Vec<agreement::Model>> = HashMap::new();
        for row in self.0.query_all(&select).await? {
            let owner: i64 = row.try_get("", LINK_OWNER)?;
            out.entry(owner)
                .or_default()
                .push(agreement::Model::from_query_result(&row, "")?);
        }
        Ok(out)
    }
}

/// The agencies that may buy under each agreement, by name; an open agreement has none.
pub struct ParticipantsOfAgreement(pub DatabaseConnection);

impl Loader<i64> for ParticipantsOfAgreement {
    type Value = Vec<Agency>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let links = agreement_participant::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                agreement_participant::Column::AgreementId,
                keys.to_vec(),
            ))
            .all(&self.0)
            .await?;
        if links.is_empty() {
            return Ok(HashMap::new());
        }
        // The whole register is two statements and a few hundred names, and it builds each
        // agency with its aliases the one way the register does.
        let register = agencies::service::load(&self.0)
            .await
            .map_err(|e| match e {
                AppError::Internal(cause) => DbErr::Custom(format!("{cause:#}")),
                other => DbErr::Custom(other.to_string()),
            })?;
        let mut out: HashMap<i64, Vec<Agency>> = HashMap::new();
        for link in links {
            if let Some(agency) = register.by_id(link.agency_id) {
                out.entry(link.agreement_id)
                    .or_default()
                    .push(agency.clone());
            }
        }
        for list in out.values_mut() {
            list.sort_by_cached_key(|a| search_key(&a.name));
        }
        Ok(out)
    }
}

/// The options of each agreement, in the order they are used.
pub struct OptionsOfAgreement(pub DatabaseConnection);

impl Loader<i64> for OptionsOfAgreement {
    type Value = Vec<agreement_option::Model>;
    type Error = LoadError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = agreement_option::Entity::find()
            .filter(db::key_in(
                self.0.get_database_backend(),
                agreement_option::Column::AgreementId,
                keys.to_vec(),
            ))
            .order_by_asc(agreement_option::Column::AgreementId)
            .order_by_asc(agreement_option::Column::Position)
            .all(&self.0)
            .await?;
        let mut out: HashMap<i64, Vec<agreement_option::Model>> = HashMap::new();
        for row in rows {
            out.entry(row.agreement_id).or_default().push(row);
        }
        Ok(out)
    }
}
