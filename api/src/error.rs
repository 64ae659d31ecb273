//! One error type for the whole API, and its mapping to GraphQL `extensions.code`.

use async_graphql::ErrorExtensions;

/// What went wrong, in the terms a client can act on. Services return this; resolvers turn it
/// into a GraphQL error through [`GqlError`].
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    BadInput { field: String, message: String },
    #[error("{0}")]
    Conflict(String),
    /// The cause is logged, never shown: it may hold database text or file paths.
    #[error("internal server error")]
    Internal(#[source] anyhow::Error),
}

impl AppError {
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self::Internal(cause.into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated(_) => "UNAUTHENTICATED",
            Self::Forbidden(_) => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::Internal(_) => "INTERNAL_SERVER_ERROR",
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    /// A unique key that another writer took first is a race the client lost, not a fault: it
    /// is a CONFLICT, worded without the database's text. So is a database still busy after
    /// the busy timeout.
    fn from(err: sea_orm::DbErr) -> Self {
        if let Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) = err.sql_err() {
            return Self::Conflict(
                "someone else saved the same thing at the same moment: reload and try again".into(),
            );
        }
        if err.to_string().contains("database is locked") {
            return Self::Conflict("the database is busy with another change: try again".into());
        }
        Self::Internal(err.into())
    }
}

impl From<sea_orm::TransactionError<AppError>> for AppError {
    fn from(err: sea_orm::TransactionError<AppError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(app) => app,
        }
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        if let Self::Internal(cause) = self {
            // `{:#}` prints the whole cause chain on one line for the log.
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        async_graphql::Error::new(self.to_string()).extend_with(|_, ext| {
            ext.set("code", self.code());
            if let Self::BadInput { field, .. } = self {
                ext.set("field", field.as_str());
            }
        })
    }
}

/// What resolvers return. It deliberately does not implement `Display`, so that it can convert
/// into `async_graphql::Error` with its code instead of through async-graphql's blanket
/// `Display` conversion, which would drop `extensions.code`.
/// It holds the already-converted error because async-graphql needs resolver errors to be `Clone`.
#[derive(Debug, Clone)]
pub struct GqlError(pub async_graphql::Error);

pub type GqlResult<T> = Result<T, GqlError>;

impl From<AppError> for GqlError {
    fn from(err: AppError) -> Self {
        Self(err.extend())
    }
}

impl From<sea_orm::DbErr> for GqlError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::from(err).into()
    }
}

impl From<GqlError> for async_graphql::Error {
    fn from(err: GqlError) -> Self {
        err.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::internal(anyhow::anyhow!("relation \"secret_table\" does not exist"));
        let gql: async_graphql::Error = GqlError::from(err).into();
        assert_eq!(gql.message, "internal server error");
        let ext = format!("{:?}", gql.extensions);
        assert!(ext.contains("INTERNAL_SERVER_ERROR"));
        assert!(!ext.contains("secret_table"));
    }

    #[test]
    fn bad_input_names_the_field() {
        let gql: async_graphql::Error =
            GqlError::from(AppError::bad_input("endsOn", "must not be before startsOn")).into();
        let ext = format!("{:?}", gql.extensions);
        assert!(ext.contains("BAD_USER_INPUT"));
        assert!(ext.contains("endsOn"));
    }
}
