//! The month-grain sums while a file is read, every name as its id in the memo's texts.
//!
//! A row's key is five integers, so adding a million rows up hashes small keys and
//! allocates nothing; the keys become texts once, for each sum, in [`Sums::finish`].

use foldhash::{HashMap, HashSet};

use super::{
    aggregate::{AgencyRows, FactKey, FirstSeen, Hours, Parsed},
    cells::Category,
    memo::Texts,
};

/// A [`FactKey`] with ids of texts for its texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) struct Grain {
    /// `yyyymm`.
    pub month: u32,
    pub agency: usize,
    pub org_number: usize,
    pub contract: usize,
    pub trade: usize,
}

impl Grain {
    fn key(&self, texts: &Texts) -> FactKey {
        FactKey {
            month: self.month,
            agency: texts.text(self.agency).to_string(),
            org_number: texts.text(self.org_number).to_string(),
            contract: texts.text(self.contract).to_string(),
            trade: texts.text(self.trade).to_string(),
        }
    }
}

#[derive(Default)]
pub(super) struct Sums {
    facts: HashMap<Grain, Hours>,
    /// (where, the id of the worker's hash) for every worker with apprentice hours.
    apprentices: HashSet<(Grain, usize)>,
    /// By agency key id: where the file writes it.
    agency_rows: HashMap<usize, AgencyRows>,
    /// By trade key id: where the file first writes it.
    trade_rows: HashMap<usize, FirstSeen>,
}

impl Sums {
    /// Adds `hundredths` of `category` at `grain`, and the apprentice's hash id if any.
    pub fn add(
        &mut self,
        grain: Grain,
        category: Category,
        hundredths: i64,
        apprentice: Option<usize>,
    ) {
        if let Some(worker) = apprentice {
            self.apprentices.insert((grain, worker));
        }
        self.facts
            .entry(grain)
            .or_default()
            .add(category, hundredths);
    }

    /// Where `agency` is written: made by `first` the first time it is met.
    pub fn agency_rows(
        &mut self,
        agency: usize,
        first: impl FnOnce() -> AgencyRows,
    ) -> &mut AgencyRows {
        self.agency_rows.entry(agency).or_insert_with(first)
    }

    pub fn has_trade(&self, trade: usize) -> bool {
        self.trade_rows.contains_key(&trade)
    }

    pub fn first_trade(&mut self, trade: usize, first: FirstSeen) {
        self.trade_rows.entry(trade).or_insert(first);
    }

    /// Puts the sums into `out` with their keys as texts.
    pub fn finish(self, texts: &Texts, hashes: &Texts, out: &mut Parsed) {
        out.facts.reserve(self.facts.len());
        for (grain, hours) in self.facts {
            out.facts.entry(grain.key(texts)).or_default().plus(&hours);
        }
        out.apprentices.reserve(self.apprentices.len());
        for (grain, worker) in self.apprentices {
            out.apprentices
                .insert((grain.key(texts), hashes.text(worker).to_string()));
        }
        for (agency, rows) in self.agency_rows {
            out.agency_rows.insert(texts.text(agency).to_string(), rows);
        }
        for (trade, first) in self.trade_rows {
            out.trade_rows.insert(texts.text(trade).to_string(), first);
        }
    }
}
