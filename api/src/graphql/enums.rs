//! GraphQL enums that are stored as text: one macro so each maps both ways from one list.

/// Declares a GraphQL enum whose values are stored as their GraphQL names.
#[macro_export]
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(async_graphql::Enum, Copy, Clone, Debug, Eq, PartialEq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// A value read back from the database; anything else is a bug or a bad manual edit.
            pub fn from_stored(text: &str) -> Result<Self, $crate::error::AppError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err($crate::error::AppError::internal(anyhow::anyhow!(
                        "unknown {} '{}' in the database", stringify!($name), other
                    ))),
                }
            }
        }
    };
}
