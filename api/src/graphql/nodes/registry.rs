//! What the public register says about a supplier: returned by `Supplier.registry` and
//! `SupplierStatus.registry`.

use async_graphql::SimpleObject;
use entity::registry_entry;

use crate::graphql::scalars::Date;

/// What Enhetsregisteret (Brønnøysund) said about the organisation number in the last
/// register file imported (`samkjop import-brreg`). Check before signing: bankrupt, being
/// wound up, under forced dissolution or deleted all mean the company may not be able to
/// deliver.
#[derive(SimpleObject, Clone, Debug)]
pub struct RegistryStatus {
    /// The name as the register has it (`navn`).
    pub name: String,
    /// Bankrupt (`konkurs`).
    pub bankrupt: bool,
    /// Being wound up by its owners (`underAvvikling`).
    pub being_wound_up: bool,
    /// Being wound up or dissolved by force, by the court
    /// (`underTvangsavviklingEllerTvangsopplosning`).
    pub forced_dissolution: bool,
    /// The day it was deleted from the register (`slettedato`); null when not deleted.
    pub deleted_on: Option<Date>,
    /// The day the register file was read.
    pub checked_on: Date,
}

impl From<registry_entry::Model> for RegistryStatus {
    fn from(m: registry_entry::Model) -> Self {
        Self {
            name: m.name,
            bankrupt: m.bankrupt,
            being_wound_up: m.being_wound_up,
            forced_dissolution: m.forced_dissolution,
            deleted_on: m.deleted_on.map(Date),
            checked_on: Date(m.checked_on),
        }
    }
}
