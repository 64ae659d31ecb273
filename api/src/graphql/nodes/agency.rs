//! The agency as GraphQL returns it: shared, because the register and the agreements both
//! return it.

use async_graphql::{ID, Object};

use crate::domain::agency;

pub struct Agency(pub agency::Agency);

#[Object]
impl Agency {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn org_number(&self) -> Option<&str> {
        self.0.org_number.as_deref()
    }

    /// Other texts that match the agency (case, repeated spaces and dots ignored).
    async fn aliases(&self) -> &[String] {
        &self.0.aliases
    }
}
