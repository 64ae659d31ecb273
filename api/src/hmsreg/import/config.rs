//! What the import and the shares depend on, taken from the settings.

use super::{super::shares::ShareSettings, reader::ReadLimits};

/// What the import and the shares depend on, from the settings.
#[derive(Clone)]
pub struct HmsregConfig {
    /// Key of the worker-id hash.
    pub worker_key: Vec<u8>,
    pub shares: ShareSettings,
    pub read: ReadLimits,
    pub max_file_bytes: u64,
}

impl std::fmt::Debug for HmsregConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs.
        f.debug_struct("HmsregConfig")
            .field("shares", &self.shares)
            .field("read", &self.read)
            .finish_non_exhaustive()
    }
}

impl HmsregConfig {
    /// From the settings; the worker-hash key is `SAMKJOP_WORKER_KEY`, else the HS256 secret.
    /// Reads the trade catalogue (`SAMKJOP_TRADES_FILE`) and refuses a broken one.
    pub fn from_settings(
        settings: &crate::config::Settings,
    ) -> Result<Self, crate::config::ConfigError> {
        use crate::config::{ConfigError, JwtKey};
        use secrecy::ExposeSecret as _;
        let key = match (&settings.worker_key, &settings.jwt.key) {
            (Some(k), _) => k,
            (None, JwtKey::Secret(s)) => s,
            (None, _) => {
                return Err(ConfigError::invalid(
                    "SAMKJOP_WORKER_KEY",
                    "set it (at least 32 bytes): HMS card numbers are kept only as a hash keyed with it",
                ));
            }
        };
        Ok(Self {
            worker_key: key.expose_secret().as_bytes().to_vec(),
            shares: ShareSettings {
                include_administrative: settings.relevant_includes_administrative,
                skilled_target: settings.skilled_target,
                apprentice_target: settings.apprentice_target,
                trades: std::sync::Arc::new(crate::hmsreg::trades::TradeCatalogue::from_settings(
                    settings,
                )?),
            },
            read: ReadLimits {
                max_rows: settings.limits.sheet_rows,
                max_columns: settings.limits.sheet_columns,
            },
            max_file_bytes: settings.limits.upload_bytes as u64,
        })
    }
}
