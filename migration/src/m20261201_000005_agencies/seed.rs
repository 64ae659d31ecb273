//! The municipality's agencies with their common short forms, and the link from existing
//! tenders to them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseTransaction};

use super::{Agency, AgencyName, Tender};

/// The 15 city districts, the agencies (etater) and the municipal enterprises (foretak) that
/// buy under the joint agreements, each with the short forms people write for it.
const AGENCIES: &[(&str, &[&str])] = &[
    ("Bydel Alna", &["Alna"]),
    ("Bydel Bjerke", &["Bjerke"]),
    ("Bydel Frogner", &["Frogner"]),
    ("Bydel Gamle Oslo", &["Gamle Oslo"]),
    ("Bydel Grorud", &["Grorud"]),
    (
        "Bydel Grünerløkka",
        &["Grünerløkka", "Grunerlokka", "Bydel Grunerlokka"],
    ),
    ("Bydel Nordre Aker", &["Nordre Aker"]),
    ("Bydel Nordstrand", &["Nordstrand"]),
    ("Bydel Sagene", &["Sagene"]),
    ("Bydel St. Hanshaugen", &["St. Hanshaugen", "St Hanshaugen"]),
    ("Bydel Stovner", &["Stovner"]),
    (
        "Bydel Søndre Nordstrand",
        &["Søndre Nordstrand", "Sondre Nordstrand"],
    ),
    ("Bydel Ullern", &["Ullern"]),
    ("Bydel Vestre Aker", &["Vestre Aker"]),
    (
        "Bydel Østensjø",
        &["Østensjø", "Ostensjo", "Bydel Ostensjo"],
    ),
    ("Bymiljøetaten", &["BYM", "Bymiljoetaten"]),
    ("Utdanningsetaten", &["UDE"]),
    ("Sykehjemsetaten", &["SYE"]),
    ("Helseetaten", &["HEL"]),
    ("Kulturetaten", &["KUL"]),
    ("Velferdsetaten", &["VEL"]),
    (
        "Vann- og avløpsetaten",
        &["VAV", "Vann og avløpsetaten", "Vann- og avlopsetaten"],
    ),
    (
        "Plan- og bygningsetaten",
        &["PBE", "Plan og bygningsetaten"],
    ),
    (
        "Brann- og redningsetaten",
        &["BRE", "Brann og redningsetaten"],
    ),
    (
        "Renovasjons- og gjenvinningsetaten",
        &["REG", "Renovasjons og gjenvinningsetaten"],
    ),
    (
        "Eiendoms- og byfornyelsesetaten",
        &["EBY", "Eiendoms og byfornyelsesetaten"],
    ),
    (
        "Utviklings- og kompetanseetaten",
        &["UKE", "Utviklings og kompetanseetaten"],
    ),
    (
        "Barne- og familieetaten",
        &["BFE", "Barne og familieetaten"],
    ),
    ("Oslobygg KF", &["Oslobygg", "OBY"]),
    ("Boligbygg Oslo KF", &["Boligbygg", "Boligbygg Oslo", "BBY"]),
    ("Oslo Havn KF", &["Oslo Havn"]),
];

/// The match key as the register's rule reads in December 2026 (case, repeated spaces and
/// `.` ignored). Frozen here rather than shared with the application, so that this migration
/// means the same thing on every database, whatever the rule becomes later.
fn key(text: &str) -> String {
    text.replace('.', "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

pub async fn agencies(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    for (name, aliases) in AGENCIES {
        insert(txn, name, aliases).await?;
    }
    Ok(())
}

async fn insert(txn: &DatabaseTransaction, name: &str, aliases: &[&str]) -> Result<i64, DbErr> {
    let statement = Query::insert()
        .into_table(Agency::Table)
        .columns([Agency::Name, Agency::CreatedAt])
        .values_panic([name.into(), Expr::current_timestamp()])
        .returning_col(Agency::Id)
        .to_owned();
    let id: i64 = txn
        .query_one(&statement)
        .await?
        .ok_or_else(|| DbErr::Custom(format!("no id for agency {name}")))?
        .try_get("", "id")?;
    let mut seen = Vec::new();
    for (text, is_name) in std::iter::once((name, true)).chain(aliases.iter().map(|a| (*a, false)))
    {
        let k = key(text);
        if seen.contains(&k) {
            continue;
        }
        let statement = Query::insert()
            .into_table(AgencyName::Table)
            .columns([
                AgencyName::Key,
                AgencyName::AgencyId,
                AgencyName::Text,
                AgencyName::IsName,
            ])
            .values_panic([k.clone().into(), id.into(), text.into(), is_name.into()])
            .to_owned();
        txn.execute(&statement).await?;
        seen.push(k);
    }
    Ok(id)
}

/// Gives every existing tender its agency: the registered one its text matches, or a new
/// agency named by the text.
pub async fn link_tenders(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    let texts = Query::select()
        .distinct()
        .column(Tender::Agency)
        .from(Tender::Table)
        .to_owned();
    let rows = txn.query_all(&texts).await?;
    for row in rows {
        let text: String = row.try_get("", "agency")?;
        let find = Query::select()
            .column(AgencyName::AgencyId)
            .from(AgencyName::Table)
            .and_where(Expr::col(AgencyName::Key).eq(key(&text)))
            .to_owned();
        let id = match txn.query_one(&find).await? {
            Some(found) => found.try_get::<i64>("", "agency_id")?,
            None => insert(txn, &text, &[]).await?,
        };
        let name = Query::select()
            .column(Agency::Name)
            .from(Agency::Table)
            .and_where(Expr::col(Agency::Id).eq(id))
            .to_owned();
        let name: String = txn
            .query_one(&name)
            .await?
            .ok_or_else(|| DbErr::Custom(format!("agency {id} vanished")))?
            .try_get("", "name")?;
        // The tender reads back as the registered name, keyed as the application keys it.
        let update = Query::update()
            .table(Tender::Table)
            .values([
                (Tender::AgencyId, id.into()),
                (Tender::AgencyKey, name.to_lowercase().into()),
                (Tender::Agency, name.into()),
            ])
            .and_where(Expr::col(Tender::Agency).eq(text))
            .to_owned();
        txn.execute(&update).await?;
    }
    Ok(())
}
