//! "Today" for the rules that depend on it: the date in Oslo, whatever the server's time zone.

use chrono::NaiveDate;

pub fn today() -> NaiveDate {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Oslo)
        .date_naive()
}
