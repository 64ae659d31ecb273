//! Sign-in: bearer JWT -> [`Viewer`], and the one access table every feature asks.

use std::{fs, time::Duration};

use async_graphql::{Context, Enum, SimpleObject};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode, errors::ErrorKind,
};
use serde::{Deserialize, Serialize};

use crate::{
    config::{JwtKey, JwtSettings, Secret},
    error::AppError,
};

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

/// Something a signed-in user may want to do; the access table in DESIGN.md, one row each.
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
}

/// How far a permission reaches.
#[derive(Clone, Debug, Eq, PartialEq)]
pub enum Scope {
    All,
    /// Only records of this agency (the token's `agency` claim).
    Agency(String),
}

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
            ReadAuditTrail => None,
            _ => Some(Grant::All),
        },
        Role::Buyer => match permission {
            ReadPortfolio | ReadSupplierStatus | CheckTenderDraft => Some(Grant::All),
            ReadWorkforce | ReadTenders | WriteTenders => Some(Grant::OwnAgency),
            WritePortfolio | ManageWatchlist | ImportHmsreg | ReadClimateStats | ReadAuditTrail => {
                None
            }
        },
        Role::ClimateOffice => match permission {
            ReadPortfolio | ReadSupplierStatus | CheckTenderDraft | ReadWorkforce | ReadTenders
            | ReadClimateStats => Some(Grant::All),
            WritePortfolio | ManageWatchlist | ImportHmsreg | WriteTenders | ReadAuditTrail => None,
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
    pub fn scope(&self, permission: Permission) -> Result<Scope, AppError> {
        let best = self
            .roles
            .iter()
            .filter_map(|r| grant(*r, permission))
            .max();
        match best {
            Some(Grant::All) => Ok(Scope::All),
            Some(Grant::OwnAgency) => match &self.agency {
                Some(agency) => Ok(Scope::Agency(agency.clone())),
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

/// Like [`require`], but also says how far the permission reaches.
pub fn require_scope<'a>(
    ctx: &Context<'a>,
    permission: Permission,
) -> Result<(&'a Viewer, Scope), AppError> {
    let viewer = viewer(ctx)?;
    let scope = viewer.scope(permission)?;
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
}

impl Authenticator {
    pub fn from_settings(settings: &JwtSettings) -> Result<Self, AuthError> {
        let (decoding, encoding, algorithm) = match &settings.key {
            JwtKey::None => return Err(AuthError::NoKey),
            JwtKey::Secret(secret) => (
                DecodingKey::from_secret(secret.expose().as_bytes()),
                Some(EncodingKey::from_secret(secret.expose().as_bytes())),
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
        validation.leeway = 30;
        Ok(Self {
            decoding,
            encoding,
            validation,
            algorithm,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
        })
    }

    /// A fresh random HS256 secret, for demo mode only.
    pub fn random_secret() -> Secret {
        use rand::{Rng, distr::Alphanumeric};
        let secret: String = rand::rng()
            .sample_iter(&Alphanumeric)
            .take(48)
            .map(char::from)
            .collect();
        Secret::new(secret)
    }

    pub fn verify(&self, token: &str) -> Result<Viewer, AuthError> {
        let data =
            decode::<Claims>(token, &self.decoding, &self.validation).map_err(|e| {
                match e.kind() {
                    ErrorKind::ExpiredSignature => AuthError::Expired,
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
        if claims.roles.is_empty() {
            return Err(AuthError::NoRole);
        }
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
        let now = chrono::Utc::now().timestamp();
        let ttl = i64::try_from(ttl.as_secs()).map_err(|_| AuthError::Sign)?;
        let claims = Claims {
            sub: subject.to_string(),
            name: name.map(str::to_string),
            roles: roles.to_vec(),
            agency: agency.map(str::to_string),
            exp: now + ttl,
            iat: now,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        encode(&Header::new(self.algorithm), &claims, key).map_err(|_| AuthError::Sign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Authenticator {
        Authenticator::from_settings(&JwtSettings {
            key: JwtKey::Secret(Secret::new("k".repeat(32))),
            issuer: "samkjop".into(),
            audience: "samkjop".into(),
            max_token_lifetime_secs: crate::config::DEFAULT_MAX_TOKEN_LIFETIME_SECS,
        })
        .unwrap()
    }

    fn viewer(roles: &[Role], agency: Option<&str>) -> Viewer {
        Viewer {
            subject: "s".into(),
            name: None,
            roles: roles.to_vec(),
            agency: agency.map(str::to_string),
        }
    }

    #[test]
    fn round_trip_keeps_the_claims() {
        let a = auth();
        let t = a
            .sign(
                "kari",
                Some("Kari"),
                &[Role::Buyer],
                Some("Oslobygg KF"),
                Duration::from_secs(60),
            )
            .unwrap();
        let v = a.verify(&t).unwrap();
        assert_eq!(v.subject, "kari");
        assert_eq!(v.roles, vec![Role::Buyer]);
        assert_eq!(v.agency.as_deref(), Some("Oslobygg KF"));
    }

    #[test]
    fn a_token_from_another_secret_is_refused() {
        let other = Authenticator::from_settings(&JwtSettings {
            key: JwtKey::Secret(Secret::new("z".repeat(32))),
            issuer: "samkjop".into(),
            audience: "samkjop".into(),
            max_token_lifetime_secs: crate::config::DEFAULT_MAX_TOKEN_LIFETIME_SECS,
        })
        .unwrap();
        let t = other
            .sign("x", None, &[Role::Admin], None, Duration::from_secs(60))
            .unwrap();
        assert!(matches!(auth().verify(&t), Err(AuthError::BadSignature)));
    }

    #[test]
    fn access_table_matches_design() {
        use Permission::*;
        let adviser = viewer(&[Role::Adviser], None);
        let buyer = viewer(&[Role::Buyer], Some("Oslobygg KF"));
        let climate = viewer(&[Role::ClimateOffice], None);
        assert_eq!(adviser.scope(WritePortfolio).unwrap(), Scope::All);
        assert!(buyer.require(WritePortfolio).is_err());
        assert!(buyer.require(ManageWatchlist).is_err());
        assert!(climate.require(ManageWatchlist).is_err());
        assert!(buyer.require(ReadSupplierStatus).is_ok());
        assert_eq!(
            buyer.scope(ReadWorkforce).unwrap(),
            Scope::Agency("Oslobygg KF".into())
        );
        assert_eq!(climate.scope(ReadWorkforce).unwrap(), Scope::All);
        assert!(buyer.require(ReadClimateStats).is_err());
        assert!(climate.require(WriteTenders).is_err());
        assert_eq!(climate.scope(ReadTenders).unwrap(), Scope::All);
        assert!(adviser.require(ReadAuditTrail).is_err());
        assert!(viewer(&[Role::Admin], None).require(ReadAuditTrail).is_ok());
        // A buyer without an agency claim has no agency to be scoped to.
        assert!(viewer(&[Role::Buyer], None).scope(ReadTenders).is_err());
        // Several roles: the widest grant wins.
        assert_eq!(
            viewer(&[Role::Buyer, Role::ClimateOffice], Some("A"))
                .scope(ReadWorkforce)
                .unwrap(),
            Scope::All
        );
    }
}
