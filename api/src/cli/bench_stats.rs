//! `samkjop bench-stats`: `climateStats` and `labourStats` over six years of tenders (six
//! years x 1,000, each with its recorded check), run through the GraphQL schema in process as
//! the climate office asks them. Fills the database once; prints figures and asserts nothing.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use async_graphql::Request;
use chrono::NaiveDate;
use entity::tender;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::{
    agencies::service as agencies,
    auth::{Role, Viewer},
    config::Limits,
    domain::{Scope, kinds::ProcurementCategory},
    graphql::scalars::{Date, Decimal},
    hmsreg::service::HmsregConfig,
    schema,
    tenders::{
        catalogue::Catalogue,
        check::{RequirementCode, RequirementForm, RiskLevel},
        service as tenders,
        valid::{self, RuleExemptionInput, TenderInput, TenderRequirementInput},
    },
    wiring,
};

const FIRST_YEAR: i32 = 2020;
const YEARS: i32 = 6;
const PER_YEAR: u32 = 1_000;
/// The benchmark's tenders carry this reference prefix, so a second run finds them.
const MARKER: &str = "BENCH-STATS";

pub async fn run(
    db: &DatabaseConnection,
    hmsreg: HmsregConfig,
    catalogue: Arc<Catalogue>,
    runs: usize,
) -> anyhow::Result<()> {
    let present = tender::Entity::find()
        .filter(tender::Column::Reference.starts_with(MARKER))
        .count(db)
        .await?;
    if present == 0 {
        let started = Instant::now();
        fill(db, &catalogue)
            .await
            .context("cannot fill the benchmark tenders")?;
        println!("filled in {:.1} s", started.elapsed().as_secs_f64());
    }
    let total = tender::Entity::find().count(db).await?;
    println!("{total} tenders");

    let schema = schema::build(db.clone(), &Limits::default(), hmsreg, catalogue);
    let viewer = Some(Viewer {
        subject: "bench".into(),
        name: None,
        roles: vec![Role::ClimateOffice],
        agency: None,
    });
    let (from, to) = (
        format!("{FIRST_YEAR}-01-01"),
        format!("{}-12-31", FIRST_YEAR + YEARS - 1),
    );
    let queries = [
        (
            "climateStats, six years",
            format!(
                "{{ climateStats(from: \"{from}\", to: \"{to}\") {{ tenderCount transportApplicable transportSatisfied transportShare siteApplicable siteSatisfied zeroEmissionMinimum zeroEmissionMachineTypes {{ machineType tenders }} }} }}"
            ),
        ),
        (
            "labourStats, six years",
            format!(
                "{{ labourStats(from: \"{from}\", to: \"{to}\") {{ tenderCount apprenticeApplicable apprenticeRequired skilledApplicable skilledRequired hmsregApplicable hmsregRequired }} }}"
            ),
        ),
        (
            "labourStats, six years, one agency",
            format!(
                "{{ labourStats(from: \"{from}\", to: \"{to}\", agency: \"Oslobygg KF\") {{ tenderCount apprenticeApplicable apprenticeRequired }} }}"
            ),
        ),
    ];
    for (label, query) in queries {
        let mut times = Vec::with_capacity(runs);
        let mut answer = String::new();
        for _ in 0..runs {
            let request = wiring::attach_loaders(Request::new(&query).data(viewer.clone()), db);
            let started = Instant::now();
            let response = schema.execute(request).await;
            times.push(started.elapsed());
            if let Some(e) = response.errors.first() {
                anyhow::bail!("{label}: {}", e.message);
            }
            answer = response.data.to_string();
        }
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{label}: min {:.1} ms, median {:.1} ms, max {:.1} ms over {runs} runs\n  {}",
            ms(times[0]),
            ms(times[times.len() / 2]),
            ms(times[times.len() - 1]),
            answer.chars().take(300).collect::<String>()
        );
    }
    Ok(())
}

fn requirement(code: RequirementCode, form: RequirementForm) -> TenderRequirementInput {
    TenderRequirementInput {
        code,
        form,
        weight_percent: (code == RequirementCode::ClimateAwardWeight).then_some(30.0),
        max_tiers: (code == RequirementCode::SubcontractorChainLimit).then_some(1),
        machine_types: (code == RequirementCode::ZeroEmissionMachines)
            .then(|| vec!["gravemaskin".to_string(), "hjullaster".to_string()]),
    }
}

/// Tender `n` of `year`: categories, values, flags and requirements vary with `n`, so that
/// every rule is sometimes satisfied, missing, exempted and not applicable.
fn input(year: i32, n: u32, agency: &str) -> anyhow::Result<TenderInput> {
    use RequirementCode::*;
    use RequirementForm::*;
    let category = [
        ProcurementCategory::Construction,
        ProcurementCategory::Services,
        ProcurementCategory::Cleaning,
        ProcurementCategory::Goods,
    ][(n % 4) as usize];
    let form = [MinimumRequirement, ContractClause, AwardCriterion][(n % 3) as usize];
    let mut requirements = vec![
        requirement(ZeroEmissionTransport, form),
        requirement(ClimateAwardWeight, AwardCriterion),
    ];
    if n.is_multiple_of(2) {
        requirements.push(requirement(ZeroEmissionMachines, form));
        requirements.push(requirement(EmissionFreeHeatingDrying, MinimumRequirement));
    }
    if !n.is_multiple_of(5) {
        requirements.push(requirement(Apprentices, form));
        requirements.push(requirement(SkilledWorkers, MinimumRequirement));
        requirements.push(requirement(HmsregRegistration, ContractClause));
        requirements.push(requirement(SubcontractorChainLimit, ContractClause));
    }
    let exemptions = n.is_multiple_of(7).then(|| {
        vec![RuleExemptionInput {
            rule_id: "transport.zero-emission".into(),
            justification: "Markedsdialogen viste ingen leverandører med slike kjøretøy.".into(),
        }]
    });
    let day = NaiveDate::from_ymd_opt(year, 1 + n % 12, 1 + n % 28).context("date")?;
    Ok(TenderInput {
        reference: Some(format!("{MARKER}-{year}-{n:04}")),
        title: format!("Benchmark tender {year}-{n}"),
        agency: agency.to_string(),
        category,
        estimated_value: Decimal(format!("{}", 50_000 + (n % 40) * 100_000).parse()?),
        duration_months: 1 + (n % 48) as i32,
        announced_on: Date(day),
        includes_transport: n % 3 != 1,
        building_site: n.is_multiple_of(2),
        apprentice_trades: n % 4 != 3,
        labour_crime_risk: [RiskLevel::Low, RiskLevel::Medium, RiskLevel::High][(n % 3) as usize],
        requirements,
        exemptions,
        contract_numbers: None,
    })
}

/// The tenders, through the same service as `createTender` (checks recorded), in one
/// transaction.
async fn fill(db: &DatabaseConnection, catalogue: &Catalogue) -> anyhow::Result<()> {
    let register = agencies::load(db).await?;
    // Oslobygg KF, whose figures the benchmark asks for too, and 24 more.
    let mut names = vec!["Oslobygg KF".to_string()];
    names.extend(
        register
            .all()
            .iter()
            .map(|a| a.name.clone())
            .filter(|n| n != "Oslobygg KF")
            .take(24),
    );
    let txn = crate::db::begin_write(db).await?;
    for year in FIRST_YEAR..FIRST_YEAR + YEARS {
        for n in 0..PER_YEAR {
            let agency = &names[(n as usize * 7 + year as usize) % names.len()];
            let valid = valid::validate(input(year, n, agency)?)?;
            tenders::create(&txn, "bench-stats", &Scope::All, valid, catalogue).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
