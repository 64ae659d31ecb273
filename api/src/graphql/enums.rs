//! GraphQL enums that are stored as text. Each derives sea-orm's `DeriveActiveEnum` (stored as
//! its GraphQL name, `rename_all = "SCREAMING_SNAKE_CASE"`) next to async-graphql's `Enum`;
//! this adds the one thing both lack: reading a stored value back as an application error.

use sea_orm::ActiveEnum;

use crate::error::AppError;

pub trait FromStored: Sized {
    /// A value read back from the database; anything else is a bug or a bad manual edit.
    fn from_stored(text: &str) -> Result<Self, AppError>;
}

impl<T: ActiveEnum<Value = String>> FromStored for T {
    fn from_stored(text: &str) -> Result<Self, AppError> {
        T::try_from_value(&text.to_string()).map_err(|_| {
            AppError::internal(anyhow::anyhow!(
                "unknown {} '{text}' in the database",
                std::any::type_name::<T>()
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::ProcurementCategory;

    #[test]
    fn stored_text_is_the_graphql_name_both_ways() {
        assert_eq!(ProcurementCategory::Cleaning.to_value(), "CLEANING");
        assert_eq!(
            ProcurementCategory::from_stored("CONSTRUCTION").unwrap(),
            ProcurementCategory::Construction
        );
        assert!(ProcurementCategory::from_stored("cleaning").is_err());
    }
}
