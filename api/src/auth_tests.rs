//! Tests of auth.
use super::*;

fn auth() -> Authenticator {
    Authenticator::from_settings(&JwtSettings {
        key: JwtKey::Secret(SecretString::from("k".repeat(32))),
        issuer: "samkjop".into(),
        audience: "samkjop".into(),
        max_token_lifetime_secs: crate::config::DEFAULT_MAX_TOKEN_LIFETIME_SECS,
    })
    .unwrap()
}

const MAX: i64 = crate::config::DEFAULT_MAX_TOKEN_LIFETIME_SECS;

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Valid claims issued now for an hour; tests overwrite the claim they are about.
fn claims() -> serde_json::Value {
    let now = now();
    serde_json::json!({
        "sub": "kari",
        "roles": ["BUYER"],
        "agency": "Oslobygg KF",
        "iat": now,
        "exp": now + 3600,
        "iss": "samkjop",
        "aud": "samkjop",
    })
}

fn with(changes: serde_json::Value) -> serde_json::Value {
    let mut claims = claims();
    for (key, value) in changes.as_object().unwrap() {
        claims[key] = value.clone();
    }
    claims
}

/// Encoded by hand, with the server's secret, so any claim can be set.
fn token(claims: &serde_json::Value) -> String {
    encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret("k".repeat(32).as_bytes()),
    )
    .unwrap()
}

fn verify(claims: serde_json::Value) -> Result<Viewer, AuthError> {
    auth().verify(&token(&claims))
}

#[test]
fn a_hand_made_token_is_accepted() {
    let v = verify(claims()).unwrap();
    assert_eq!(v.subject, "kari");
    assert_eq!(v.agency.as_deref(), Some("Oslobygg KF"));
}

#[test]
fn a_token_not_valid_yet_is_refused() {
    let now = now();
    let early = verify(with(serde_json::json!({ "nbf": now + 600 })));
    assert!(matches!(early, Err(AuthError::NotValidYet)), "{early:?}");
    // Within the leeway, and in the past, it is fine.
    verify(with(serde_json::json!({ "nbf": now + 10 }))).unwrap();
    verify(with(serde_json::json!({ "nbf": now - 10 }))).unwrap();
}

#[test]
fn a_token_issued_in_the_future_is_refused() {
    let now = now();
    let future = verify(with(
        serde_json::json!({ "iat": now + 600, "exp": now + 1200 }),
    ));
    assert!(
        matches!(future, Err(AuthError::IssuedInFuture)),
        "{future:?}"
    );
    verify(with(serde_json::json!({ "iat": now + 10 }))).unwrap();
}

#[test]
fn a_blank_subject_is_refused() {
    for sub in ["", "   ", " \t\n\u{0}\u{7f}\u{a0}"] {
        let blank = verify(with(serde_json::json!({ "sub": sub })));
        assert!(
            matches!(blank, Err(AuthError::BlankSubject)),
            "{sub:?}: {blank:?}"
        );
    }
    let a = auth();
    let signed = a.sign(" \t", None, &[Role::Admin], None, Duration::from_secs(60));
    assert!(matches!(signed, Err(AuthError::BlankSubject)), "{signed:?}");
}

#[test]
fn a_lifetime_over_the_maximum_is_refused() {
    let iat = now() - 10;
    let long = verify(with(
        serde_json::json!({ "iat": iat, "exp": iat + MAX + 1 }),
    ));
    assert!(
        matches!(long, Err(AuthError::LifetimeTooLong { lifetime_secs, max_secs: MAX })
            if lifetime_secs == i128::from(MAX) + 1),
        "{long:?}"
    );
    verify(with(serde_json::json!({ "iat": iat, "exp": iat + MAX }))).unwrap();
    // An issue time far in the past must not overflow the subtraction.
    let ancient = verify(with(serde_json::json!({ "iat": i64::MIN })));
    assert!(
        matches!(ancient, Err(AuthError::LifetimeTooLong { .. })),
        "{ancient:?}"
    );
}

#[test]
fn sign_refuses_a_ttl_over_the_maximum() {
    let a = auth();
    let max = Duration::from_secs(MAX.unsigned_abs());
    for ttl in [max + Duration::from_secs(1), Duration::MAX] {
        let signed = a.sign("kari", None, &[Role::Admin], None, ttl);
        assert!(
            matches!(signed, Err(AuthError::TtlTooLong { max_secs: MAX, .. })),
            "{ttl:?}: {signed:?}"
        );
    }
    let t = a.sign("kari", None, &[Role::Admin], None, max).unwrap();
    a.verify(&t).unwrap();
}

#[test]
fn the_no_agency_key_is_no_agency() {
    assert_eq!(NO_AGENCY, "(none)");
    for agency in [NO_AGENCY, "  (NONE) ", "\u{a0}(None)\u{2003}"] {
        let key = verify(with(serde_json::json!({ "agency": agency })));
        assert!(
            matches!(key, Err(AuthError::NoAgencyKey)),
            "{agency:?}: {key:?}"
        );
    }
    let a = auth();
    let signed = a.sign(
        "kari",
        None,
        &[Role::Buyer],
        Some(" (none)"),
        Duration::from_secs(60),
    );
    assert!(matches!(signed, Err(AuthError::NoAgencyKey)), "{signed:?}");
}

#[test]
fn an_agency_with_control_characters_is_refused() {
    for agency in [
        "Oslobygg\u{0}KF",
        "Oslobygg\nKF",
        "Oslobygg KF\u{1b}[0m",
        "(none)\u{7f}",
    ] {
        let bad = verify(with(serde_json::json!({ "agency": agency })));
        assert!(
            matches!(bad, Err(AuthError::AgencyControlCharacters)),
            "{agency:?}: {bad:?}"
        );
    }
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
        key: JwtKey::Secret(SecretString::from("z".repeat(32))),
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
    assert_eq!(adviser.scope(WritePortfolio).unwrap(), ClaimedScope::All);
    assert!(buyer.require(WritePortfolio).is_err());
    assert!(buyer.require(ManageWatchlist).is_err());
    assert!(climate.require(ManageWatchlist).is_err());
    assert!(buyer.require(ReadSupplierStatus).is_ok());
    assert_eq!(
        buyer.scope(ReadWorkforce).unwrap(),
        ClaimedScope::Agency("Oslobygg KF".into())
    );
    assert_eq!(climate.scope(ReadWorkforce).unwrap(), ClaimedScope::All);
    assert!(buyer.require(ReadClimateStats).is_err());
    assert!(climate.require(WriteTenders).is_err());
    assert_eq!(climate.scope(ReadTenders).unwrap(), ClaimedScope::All);
    assert!(adviser.require(ReadAuditTrail).is_err());
    assert!(viewer(&[Role::Admin], None).require(ReadAuditTrail).is_ok());
    // Rechecking moves past statistics: the administrator's alone.
    for other in [&adviser, &buyer, &climate] {
        assert!(other.require(RecheckTenders).is_err());
    }
    assert!(viewer(&[Role::Admin], None).require(RecheckTenders).is_ok());
    // A buyer without an agency claim has no agency to be scoped to.
    assert!(viewer(&[Role::Buyer], None).scope(ReadTenders).is_err());
    // Several roles: the widest grant wins.
    assert_eq!(
        viewer(&[Role::Buyer, Role::ClimateOffice], Some("A"))
            .scope(ReadWorkforce)
            .unwrap(),
        ClaimedScope::All
    );
}
