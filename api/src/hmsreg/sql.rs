//! A statement of the hours' statistics being written: its text and its bind values in the
//! order they appear, with the conditions every fact table shares.

use sea_orm::{DbBackend, Value};

use super::{grouped::AgencyKeys, query::HourFilter};

/// A statement being written, with its bind values in the order they appear.
pub(super) struct Sql {
    pub backend: DbBackend,
    pub text: String,
    pub values: Vec<Value>,
}

impl Sql {
    pub(super) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::with_capacity(4096),
            values: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub(super) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let n = self.values.len();
                self.text.push_str(&format!("${n}"));
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// `column IN (...)`; an empty list selects nothing.
    pub(super) fn in_list(&mut self, column: &str, values: &[String]) -> &mut Self {
        if values.is_empty() {
            return self.push("1 = 0");
        }
        self.push(column).push(" IN (");
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v.clone());
        }
        self.push(")")
    }

    /// The conditions of `filter` on a fact table's columns (the three tables share them);
    /// `grain` for the rollup.
    pub(super) fn filter(
        &mut self,
        filter: &HourFilter,
        keys: &AgencyKeys,
        grain: Option<u32>,
    ) -> &mut Self {
        self.push("1 = 1");
        if let Some(g) = grain {
            self.push(" AND grain = ").bind(g as i32);
        }
        if let Some(m) = filter.from_month {
            self.push(" AND month >= ").bind(m as i32);
        }
        if let Some(m) = filter.to_month {
            self.push(" AND month <= ").bind(m as i32);
        }
        for k in [&keys.agency, &keys.scope].into_iter().flatten() {
            self.push(" AND ").in_list("agency_key", k);
        }
        if let Some(o) = &filter.org_number {
            self.push(" AND org_number = ").bind(o.clone());
        }
        if let Some(c) = &filter.contract {
            self.push(" AND contract_key = ").bind(c.clone());
        }
        if let Some(i) = filter.import_id {
            self.push(" AND import_id = ").bind(i);
        }
        self
    }

    /// `CASE WHEN trade_key IN (outside) THEN 0 ELSE 1 END = 1`, or true when no trade is.
    pub(super) fn counts(&mut self, outside: &[&str]) -> &mut Self {
        if outside.is_empty() {
            return self.push("1 = 1");
        }
        self.push("trade_key NOT IN (");
        for (i, k) in outside.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(k.to_string());
        }
        self.push(")")
    }
}
