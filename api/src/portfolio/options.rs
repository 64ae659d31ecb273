//! Options to extend an agreement (docs/rules.md, Participants and options): the checks and the
//! date arithmetic, pure so that the month-end cases can be tested on their own.
//!
//! Months are added the calendar way, as chrono's `checked_add_months` does: the day of the
//! month is kept, and where the target month is shorter it is clamped to that month's last day.
//! So 2026-01-31 + 1 month is 2026-02-28, 2027-02-28 + 12 months is 2028-02-28 (not the 29th:
//! a month end is not carried as "the last day"), and 2027-11-30 + 3 months is 2028-02-29.

use std::ops::RangeInclusive;

use chrono::{Datelike, Months, NaiveDate};

use crate::{error::AppError, graphql::scalars::DATE_YEARS};

/// Most options one agreement may have: public framework agreements run four years at most
/// (eight for some), so ten options is already far beyond practice.
pub const MAX_OPTIONS: usize = 10;
/// Months one option may add: from one month to ten years.
pub const OPTION_MONTHS: RangeInclusive<i32> = 1..=120;

/// One stored option, as the arithmetic needs it, in position order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    pub months: u32,
    pub used: bool,
}

/// Checks the months of each option given on `createAgreement`, naming `options[i].months`.
pub fn check_months(months: &[i32]) -> Result<Vec<u32>, AppError> {
    if months.len() > MAX_OPTIONS {
        return Err(AppError::bad_input(
            "options",
            format!("at most {MAX_OPTIONS} options per agreement"),
        ));
    }
    months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            u32::try_from(*m)
                .ok()
                .filter(|_| OPTION_MONTHS.contains(m))
                .ok_or_else(|| {
                    AppError::bad_input(
                        format!("options[{i}].months"),
                        format!(
                            "an option adds {} to {} months, not {m}",
                            OPTION_MONTHS.start(),
                            OPTION_MONTHS.end()
                        ),
                    )
                })
        })
        .collect()
}

/// `date` plus `months` calendar months, clamped to the month's last day (see the module
/// comment); `None` past chrono's last date.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// The months of the options not yet used.
pub fn unused_months(terms: &[Term]) -> u32 {
    terms.iter().filter(|t| !t.used).map(|t| t.months).sum()
}

/// `maxEndsOn` of an agreement with options: `ends_on` plus the unused months, added in one
/// step (2026-01-31 with two 1-month options gives 2026-03-31, where two separate steps would
/// give 2026-03-28). A `given` maxEndsOn that differs is BAD_USER_INPUT on `maxEndsOn`; a
/// result past the last year a Date may have is BAD_USER_INPUT on `field`, the input that made
/// it so.
pub fn max_ends_on(
    ends_on: NaiveDate,
    unused: u32,
    given: Option<NaiveDate>,
    field: &str,
) -> Result<NaiveDate, AppError> {
    let max = add_months(ends_on, unused)
        .filter(|d| DATE_YEARS.contains(&d.year()))
        .ok_or_else(|| {
            AppError::bad_input(
                field,
                format!(
                    "{ends_on} + {unused} months of options ends after the year {}",
                    DATE_YEARS.end()
                ),
            )
        })?;
    match given {
        Some(g) if g != max => Err(AppError::bad_input(
            "maxEndsOn",
            format!(
                "with options, maxEndsOn is endsOn + the months of the unused options: {max}, not {g} (leave maxEndsOn out)"
            ),
        )),
        _ => Ok(max),
    }
}

/// What using the earliest unused option does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exercise {
    /// Index of the option in `terms` (its position).
    pub index: usize,
    /// The agreement's new endsOn, which the option records as the end date it set.
    pub ends_on: NaiveDate,
    /// endsOn + the months of the options still unused after this one.
    pub max_ends_on: NaiveDate,
}

/// Uses the earliest unused option of an agreement ending on `ends_on`; `None` when every
/// option is used (or, beyond any real date, when chrono runs out of calendar).
pub fn exercise(ends_on: NaiveDate, terms: &[Term]) -> Option<Exercise> {
    let index = terms.iter().position(|t| !t.used)?;
    let new_end = add_months(ends_on, terms[index].months)?;
    let rest = unused_months(&terms[index + 1..]);
    Some(Exercise {
        index,
        ends_on: new_end,
        max_ends_on: add_months(new_end, rest)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn unused(months: u32) -> Term {
        Term {
            months,
            used: false,
        }
    }

    #[test]
    fn months_keep_the_day_and_clamp_to_the_month_end() {
        assert_eq!(add_months(d("2026-01-31"), 1), Some(d("2026-02-28")));
        // 2028 is a leap year.
        assert_eq!(add_months(d("2028-01-31"), 1), Some(d("2028-02-29")));
        assert_eq!(add_months(d("2027-11-30"), 3), Some(d("2028-02-29")));
        // A month end is not carried: the 28th stays the 28th in a leap February.
        assert_eq!(add_months(d("2027-02-28"), 12), Some(d("2028-02-28")));
        assert_eq!(add_months(d("2026-03-31"), 1), Some(d("2026-04-30")));
        assert_eq!(add_months(d("2026-12-15"), 2), Some(d("2027-02-15")));
        assert_eq!(add_months(d("2026-12-31"), 24), Some(d("2028-12-31")));
        assert_eq!(add_months(d("2026-06-30"), 0), Some(d("2026-06-30")));
    }

    #[test]
    fn option_months_are_checked_one_by_one() {
        assert_eq!(check_months(&[1, 12, 120]).unwrap(), [1, 12, 120]);
        assert_eq!(check_months(&[]).unwrap(), Vec::<u32>::new());
        for (months, field) in [
            (vec![12, 0], "options[1].months"),
            (vec![121], "options[0].months"),
            (vec![-12], "options[0].months"),
            (vec![12; 11], "options"),
        ] {
            match check_months(&months) {
                Err(AppError::BadInput { field: f, .. }) => assert_eq!(f, field, "{months:?}"),
                other => panic!("{months:?}: {other:?}"),
            }
        }
        assert_eq!(check_months(&[12; 10]).unwrap().len(), 10);
    }

    #[test]
    fn max_ends_on_adds_the_unused_months_in_one_step() {
        let terms = [unused(1), unused(1)];
        assert_eq!(unused_months(&terms), 2);
        // One step of 2 months from January 31st: March 31st, not 28th.
        assert_eq!(
            max_ends_on(d("2026-01-31"), 2, None, "options").unwrap(),
            d("2026-03-31")
        );
        // 12 + 24 months from 2026-12-31.
        assert_eq!(
            max_ends_on(d("2026-12-31"), 36, Some(d("2029-12-31")), "options").unwrap(),
            d("2029-12-31")
        );
        match max_ends_on(d("2026-12-31"), 36, Some(d("2029-12-30")), "options") {
            Err(AppError::BadInput { field, .. }) => assert_eq!(field, "maxEndsOn"),
            other => panic!("{other:?}"),
        }
        // 2200-06-30 + 12 months is in 2201, past the last year a Date may have.
        match max_ends_on(d("2200-06-30"), 12, None, "endsOn") {
            Err(AppError::BadInput { field, .. }) => assert_eq!(field, "endsOn"),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            max_ends_on(d("2200-06-30"), 6, None, "endsOn").unwrap(),
            d("2200-12-30")
        );
    }

    #[test]
    fn exercising_uses_the_earliest_unused_option() {
        let terms = [
            Term {
                months: 12,
                used: true,
            },
            unused(12),
            unused(24),
        ];
        // 2027-12-31 + 12 = 2028-12-31; the 24 months left give 2030-12-31.
        assert_eq!(
            exercise(d("2027-12-31"), &terms),
            Some(Exercise {
                index: 1,
                ends_on: d("2028-12-31"),
                max_ends_on: d("2030-12-31"),
            })
        );
        // From 2026-01-31: 1 month gives 2026-02-28, and the next month counts from there.
        let terms = [unused(1), unused(1)];
        assert_eq!(
            exercise(d("2026-01-31"), &terms),
            Some(Exercise {
                index: 0,
                ends_on: d("2026-02-28"),
                max_ends_on: d("2026-03-28"),
            })
        );
        let used = Term {
            months: 12,
            used: true,
        };
        assert_eq!(exercise(d("2026-01-31"), &[used, used]), None);
        assert_eq!(exercise(d("2026-01-31"), &[]), None);
    }
}
