//! Sign-in: bearer JWT -> [`Viewer`], and the one access table every feature asks.

use std::{fs, time::Duration};

use async_graphql::{Context, Enum, SimpleObject};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode, errors::ErrorKind,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::{
    config::{JwtKey, JwtSettings},
    domain::{agency::NO_AGENCY, text::search_key},
    error::AppError,
};

/// Clock difference tolerated between the signer and this server, for `exp`, `nbf` and `iat`.
const LEEWAY_SECS: i64 = 30;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    Admin,
    Adviser,
    Buyer,
    ClimateOffice,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Adviser, Role::Buyer, Role::ClimateOffice];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "ADMIN",
            Role::Adviser => "ADVISER",
            Role::Buyer => "BUYER",
            Role::ClimateOffice => "CLIMATE_OFFICE",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// Something a signed-in user may want to do; the access table in docs/design.md, one row each.
#[derive(Copy, Clone, Debug, Eq, PartialEq)]
pub enum Permission {
    ReadPortfolio,
    WritePortfolio,
    ReadSupplierStatus,
    /// Read watchlist entries in full, and add or strike off entries.
    ManageWatchlist,
    ImportHmsreg,
    ReadWorkforce,
    ReadTenders,
    WriteTenders,
    CheckTenderDraft,
    ReadClimateStats,
    ReadAuditTrail,
    /// Add agencies and aliases to the register.
    ManageAgencies,
    /// Record a fresh check of stored tenders (`recheckTenders`): it moves past statistics, so
    /// it is the administrator's decision.
    RecheckTenders,
}

pub use crate::domain::{Scope, scope::ClaimedScope};

#[derive(Copy, Clone, Debug, Eq, PartialEq, PartialOrd, Ord)]
enum Grant {
    OwnAgency,
    All,
}

/// The access table. Keep it the only place that knows which role may do what.
fn grant(role: Role, permission: Permission) -> Option<Grant> {
    use Permission::*;
    match role {
        Role::Admin => Some(Grant::All),
        Role::Adviser => match permission {
            ReadAuditTrail | RecheckTenders => None,
            _ => Some(Grant::All),
        },
        Role::Buyer => match permission {
            ReadPortfolio | ReadSupplierStatus | CheckTenderDraft => Some(Grant::All),
            ReadWorkforce | ReadTenders | WriteTenders => Some(Grant::OwnAgency),
            WritePortfolio | ManageWatchlist | ImportHmsreg | ReadClimateStats | ReadAuditTrail
            | ManageAgencies | RecheckTenders => None,
        },
        Role::ClimateOffice => match permission {
            ReadPortfolio | ReadSupplierStatus | CheckTenderDraft | ReadWorkforce | ReadTenders
            | ReadClimateStats => Some(Grant::All),
            WritePortfolio | ManageWatchlist | ImportHmsreg | WriteTenders | ReadAuditTrail
            | ManageAgencies | RecheckTenders => None,
        },
    }
}

/// The signed-in user, from a verified token.
#[derive(SimpleObject, Clone, Debug, PartialEq)]
pub struct Viewer {
    pub subject: String,
    pub name: Option<String>,
    pub roles: Vec<Role>,
    pub agency: Option<String>,
}

impl Viewer {
    /// The widest scope any of the viewer's roles gives for `permission`, or FORBIDDEN.
    /// Agency claims are not yet resolved: see [`require_scope`].
    pub fn scope(&self, permission: Permission) -> Result<ClaimedScope, AppError> {
        let best = self
            .roles
            .iter()
            .filter_map(|r| grant(*r, permission))
            .max();
        match best {
            Some(Grant::All) => Ok(ClaimedScope::All),
            Some(Grant::OwnAgency) => match &self.agency {
                Some(agency) => Ok(ClaimedScope::Agency(agency.clone())),
                None => Err(AppError::Forbidden(
                    "your token names no agency, so there is nothing of your agency to show".into(),
                )),
            },
            None => Err(AppError::Forbidden(format!(
                "your role ({}) may not do this",
                self.roles
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    pub fn require(&self, permission: Permission) -> Result<(), AppError> {
        self.scope(permission).map(|_| ())
    }

    /// The name written into audit events.
    pub fn actor(&self) -> &str {
        &self.subject
    }
}

/// The viewer of this request, or UNAUTHENTICATED. The HTTP layer puts `Option<Viewer>` in the
/// request data; a present but invalid token never reaches the schema.
pub fn viewer<'a>(ctx: &Context<'a>) -> Result<&'a Viewer, AppError> {
    ctx.data_opt::<Option<Viewer>>()
        .and_then(|v| v.as_ref())
        .ok_or_else(|| {
            AppError::Unauthenticated(
                "sign in: send the header 'Authorization: Bearer <token>'".into(),
            )
        })
}

/// The access check every resolver calls first: signed in, and allowed to do `permission`.
pub fn require<'a>(ctx: &Context<'a>, permission: Permission) -> Result<&'a Viewer, AppError> {
    let viewer = viewer(ctx)?;
    viewer.require(permission)?;
    Ok(viewer)
}

/// Like [`require`], but also says how far the permission reaches, with a buyer's agency
/// claim resolved through the register (FORBIDDEN when it matches no agency).
pub async fn require_scope<'a>(
    ctx: &Context<'a>,
    permission: Permission,
) -> Result<(&'a Viewer, Scope), AppError> {
    let viewer = viewer(ctx)?;
    let claimed = viewer.scope(permission)?;
    let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
    let scope = crate::agencies::service::resolve_scope(db, claimed).await?;
    Ok((viewer, scope))
}

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub iss: String,
    pub aud: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("no signing key: set JWT_SECRET (at least 32 bytes) or JWT_PUBLIC_KEY_FILE")]
    NoKey,
    #[error("cannot read JWT_PUBLIC_KEY_FILE: {0}")]
    KeyFile(String),
    #[error("tokens can only be signed here with an HS256 secret (JWT_SECRET)")]
    CannotSign,
    #[error("the token has expired: sign in again")]
    Expired,
    #[error("the token's signature is not valid")]
    BadSignature,
    #[error("the token was issued for another service (issuer or audience)")]
    WrongIssuerOrAudience,
    #[error("the token is malformed")]
    Malformed,
    #[error("the token names no role")]
    NoRole,
    #[error(
        "the token is not valid yet (its 'nbf' time is in the future): check the clock of the machine that signed it"
    )]
    NotValidYet,
    #[error(
        "the token says it was issued in the future ('iat'): check the clock of the machine that signed it"
    )]
    IssuedInFuture,
    #[error("the token names no subject ('sub' is blank)")]
    BlankSubject,
    #[error(
        "the token is valid for {lifetime_secs} seconds from when it was issued, but at most {max_secs} are accepted: get a shorter-lived token"
    )]
    LifetimeTooLong { lifetime_secs: i128, max_secs: i64 },
    #[error(
        "cannot sign a token valid for {ttl_secs} seconds: at most {max_secs} are allowed (SAMKJOP_MAX_TOKEN_LIFETIME)"
    )]
    TtlTooLong { ttl_secs: u64, max_secs: i64 },
    #[error(
        "the token's agency is '{NO_AGENCY}', the name under which HMSREG hours without an agency are kept; it is no one's agency"
    )]
    NoAgencyKey,
    #[error("the token's agency contains control characters")]
    AgencyControlCharacters,
    #[error("could not sign the token")]
    Sign,
}

/// Verifies tokens with the configured key, and signs them when that key is an HS256 secret.
pub struct Authenticator {
    decoding: DecodingKey,
    encoding: Option<EncodingKey>,
    validation: Validation,
    algorithm: Algorithm,
    issuer: String,
    audience: String,
    max_lifetime_secs: i64,
}

impl Authenticator {
    pub fn from_settings(settings: &JwtSettings) -> Result<Self, AuthError> {
        let (decoding, encoding, algorithm) = match &settings.key {
            JwtKey::None => return Err(AuthError::NoKey),
            JwtKey::Secret(secret) => (
                DecodingKey::from_secret(secret.expose_secret().as_bytes()),
                Some(EncodingKey::from_secret(secret.expose_secret().as_bytes())),
                Algorithm::HS256,
            ),
            JwtKey::PublicKeyFile(path) => {
                let pem = fs::read(path).map_err(|e| AuthError::KeyFile(e.to_string()))?;
                if let Ok(key) = DecodingKey::from_rsa_pem(&pem) {
                    (key, None, Algorithm::RS256)
                } else if let Ok(key) = DecodingKey::from_ec_pem(&pem) {
                    (key, None, Algorithm::ES256)
                } else {
                    return Err(AuthError::KeyFile(
                        "not an RSA or EC (P-256) public key in PEM form".into(),
                    ));
                }
            }
        };
        // The algorithm is pinned to the key: a token may not choose how it is checked.
        let mut validation = Validation::new(algorithm);
        validation.set_issuer(&[settings.issuer.as_str()]);
        validation.set_audience(&[settings.audience.as_str()]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS.unsigned_abs();
        // Off by default in jsonwebtoken; a token held back for later must not work early.
        validation.validate_nbf = true;
        Ok(Self {
            decoding,
            encoding,
            validation,
            algorithm,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            max_lifetime_secs: settings.max_token_lifetime_secs,
        })
    }

    /// A fresh random HS256 secret, for demo mode only.
    pub fn random_secret() -> SecretString {
        use rand::{Rng, distr::Alphanumeric};
        let secret: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(48)
            .map(char::from)
            .collect();
        SecretString::from(secret)
    }

    /// The longest lifetime a token may have here.
    pub fn max_lifetime(&self) -> Duration {
        Duration::from_secs(u64::try_from(self.max_lifetime_secs).unwrap_or(0))
    }

    pub fn verify(&self, token: &str) -> Result<Viewer, AuthError> {
        let data =
            decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
                match e.kind() {
                    ErrorKind::ExpiredSignature => AuthError::Expired,
                    ErrorKind::ImmatureSignature => AuthError::NotValidYet,
                    ErrorKind::InvalidSignature | ErrorKind::InvalidAlgorithm => {
                        AuthError::BadSignature
                    }
                    ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => {
                        AuthError::WrongIssuerOrAudience
                    }
                    _ => AuthError::Malformed,
                }
            })?;
        let claims = data.claims;
        self.check_claims(&claims, chrono::Utc::now().timestamp())?;
        Ok(Viewer {
            subject: claims.sub,
            name: claims.name,
            roles: claims.roles,
            agency: claims
                .agency
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty()),
        })
    }

    pub fn sign(
        &self,
        subject: &str,
        name: Option<&str>,
        roles: &[Role],
        agency: Option<&str>,
        ttl: Duration,
    ) -> Result<String, AuthError> {
        let key = self.encoding.as_ref().ok_or(AuthError::CannotSign)?;
        let too_long = AuthError::TtlTooLong {
            ttl_secs: ttl.as_secs(),
            max_secs: self.max_lifetime_secs,
        };
        let ttl = match i64::try_from(ttl.as_secs()) {
            Ok(ttl) if ttl <= self.max_lifetime_secs => ttl,
            _ => return Err(too_long),
        };
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: subject.to_string(),
            name: name.map(str::to_string),
            roles: roles.to_vec(),
            agency: agency.map(str::to_string),
            exp: now.checked_add(ttl).ok_or(too_long)?,
            iat: now,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        // Whatever `verify` would refuse is not signed either, so a minted token always works.
        self.check_claims(&claims, now)?;
        encode(&Header::new(self.algorithm), &claims, key).map_err(|_| AuthError::Sign)
    }

    /// The checks jsonwebtoken's `Validation` cannot express.
    fn check_claims(&self, claims: &Claims, now: i64) -> Result<(), AuthError> {
        if claims.roles.is_empty() {
            return Err(AuthError::NoRole);
        }
        // Every action is audited under the subject; a blank one would be anonymous.
        if claims
            .sub
            .chars()
            .all(|c| c.is_whitespace() || c.is_control())
        {
            return Err(AuthError::BlankSubject);
        }
        // With a future `iat`, `exp - iat` would understate how long the token stays valid.
        if claims.iat > now + LEEWAY_SECS {
            return Err(AuthError::IssuedInFuture);
        }
        // In i128 so that extreme claims cannot overflow.
        let lifetime_secs = i128::from(claims.exp) - i128::from(claims.iat);
        if lifetime_secs > i128::from(self.max_lifetime_secs) {
            return Err(AuthError::LifetimeTooLong {
                lifetime_secs,
                max_secs: self.max_lifetime_secs,
            });
        }
        if let Some(agency) = &claims.agency {
            if agency.chars().any(char::is_control) {
                return Err(AuthError::AgencyControlCharacters);
            }
            // Agency scopes are matched by search key, so a buyer naming this key would see
            // every agency's unattributed HMSREG hours.
            if search_key(agency) == search_key(NO_AGENCY) {
                return Err(AuthError::NoAgencyKey);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "auth_tests.rs"]
mod tests;
