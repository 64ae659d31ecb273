//! Agreement areas: created by name (unique, compared case-insensitively) and listed.

use chrono::Utc;
use entity::agreement_area;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::{audit, error::AppError, validate};

pub const MAX_AREA_NAME: usize = 200;

pub async fn create_area(
    conn: &impl ConnectionTrait,
    actor: &str,
    name: &str,
) -> Result<agreement_area::Model, AppError> {
    let name = validate::collapse_spaces(&validate::required_text("name", name, MAX_AREA_NAME)?);
    let key = validate::search_key(&name);
    let exists = agreement_area::Entity::find()
        .filter(agreement_area::Column::NameKey.eq(key.as_str()))
        .count(conn)
        .await?;
    if exists > 0 {
        return Err(AppError::bad_input(
            "name",
            format!("an agreement area named '{name}' already exists"),
        ));
    }
    let model = agreement_area::ActiveModel {
        name: Set(name),
        name_key: Set(key),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::created(conn, actor, "agreement_area", model.id, &model).await?;
    Ok(model)
}

pub async fn list_areas(
    conn: &impl ConnectionTrait,
) -> Result<Vec<agreement_area::Model>, AppError> {
    Ok(agreement_area::Entity::find()
        .order_by_asc(agreement_area::Column::NameKey)
        .all(conn)
        .await?)
}
