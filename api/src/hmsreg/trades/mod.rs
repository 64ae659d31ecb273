//! The trade catalogue (docs/rules.md, Relevant trades): which HMSREG trades count in the
//! skilled-worker share (craft trades) and which in the apprentice share (apprentice trades).
//! A data file, like the rule catalogue, so the unit can add a spelling without a release.

mod file;

use std::{
    collections::HashMap,
    sync::{Arc, LazyLock},
};

use super::{import::NO_TRADE, shares::Counts};

/// The catalogue shipped with the binary (`fixtures/trades/trades.json`).
pub const DEFAULT: &str = include_str!("../../../../fixtures/trades/trades.json");

/// The shipped catalogue, read once; what `ShareSettings::default()` counts with.
pub(crate) static SHIPPED: LazyLock<Arc<TradeCatalogue>> = LazyLock::new(|| {
    // A test holds the shipped file valid; were it not, every trade would count in both
    // shares, which is what the shares were before there was a catalogue.
    Arc::new(TradeCatalogue::parse(DEFAULT).unwrap_or_default())
});

/// The key a trade text is compared by: as HMSREG trade texts are keyed at import (trimmed,
/// inner spaces collapsed, lower case), so a stored trade key looks its trade up directly.
pub fn key(text: &str) -> String {
    crate::validate::search_key(text)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Trade {
    pub name: String,
    /// The other texts HMSREG files write for it; the name matches too.
    pub spellings: Vec<String>,
    /// A craft trade (håndverksfag): its hours count in the skilled-worker share.
    pub craft: bool,
    /// A trade with a particular need for apprentices: its hours count in the apprentice share.
    pub apprentice_trade: bool,
}

impl Trade {
    pub fn counts(&self) -> Counts {
        Counts {
            skilled: self.craft,
            apprentice: self.apprentice_trade,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TradeCatalogue {
    /// Sorted by name, without case.
    trades: Vec<Trade>,
    /// Key of every name and spelling -> its trade in `trades`.
    by_key: HashMap<String, usize>,
}

/// A trade file that cannot be used, with the line (and column) at fault.
#[derive(Debug, PartialEq, thiserror::Error)]
#[error("the trade file is wrong at line {line}, column {column}: {message}")]
pub struct TradeFileError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl From<serde_json::Error> for TradeFileError {
    fn from(e: serde_json::Error) -> Self {
        let text = e.to_string();
        // serde_json ends its message with the position, which the error states already.
        let position = format!(" at line {} column {}", e.line(), e.column());
        let message = text.strip_suffix(&position).unwrap_or(&text).to_string();
        Self {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

impl TradeCatalogue {
    /// Reads and checks a trade file: valid JSON, only the known fields, both flags given,
    /// and every name and spelling standing for one trade only.
    pub fn parse(text: &str) -> Result<Self, TradeFileError> {
        let mut trades: Vec<Trade> = file::read(text)?
            .into_iter()
            .map(|t| Trade {
                name: t.name,
                spellings: t.spellings,
                craft: t.craft,
                apprentice_trade: t.apprentice_trade,
            })
            .collect();
        trades.sort_by_key(|t| key(&t.name));
        let mut by_key = HashMap::new();
        for (i, t) in trades.iter().enumerate() {
            for text in std::iter::once(&t.name).chain(&t.spellings) {
                by_key.insert(key(text), i);
            }
        }
        Ok(Self { trades, by_key })
    }

    /// Every trade, sorted by name.
    pub fn trades(&self) -> &[Trade] {
        &self.trades
    }

    /// The trade a text (or a stored trade key) names, if the catalogue has it.
    pub fn find(&self, text: &str) -> Option<&Trade> {
        self.by_key
            .get(&key(text))
            .and_then(|i| self.trades.get(*i))
    }

    /// The keys (every name and spelling) under which hours do not count in a share, as
    /// `counts` decides: the database leaves them out of that share when it adds hours up.
    pub fn keys_outside(&self, counts_in: impl Fn(Counts) -> bool) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .by_key
            .iter()
            .filter(|(k, i)| {
                k.as_str() != NO_TRADE
                    && self.trades.get(**i).is_some_and(|t| !counts_in(t.counts()))
            })
            .map(|(k, _)| k.as_str())
            .collect();
        keys.sort_unstable();
        keys
    }

    /// Which shares the hours stored under `trade_key` count in. Hours without a trade or in
    /// a trade the catalogue does not know count in both, so a file without a trade column
    /// gives the shares it gave before the catalogue.
    pub fn counts(&self, trade_key: &str) -> Counts {
        if trade_key == NO_TRADE {
            return Counts::BOTH;
        }
        self.find(trade_key).map_or(Counts::BOTH, Trade::counts)
    }

    /// The catalogue from `SAMKJOP_TRADES_FILE`, or the shipped one; a broken file is an
    /// error naming the setting, the file and the line.
    pub fn from_settings(
        settings: &crate::config::Settings,
    ) -> Result<Self, crate::config::ConfigError> {
        crate::config::data_file(
            "SAMKJOP_TRADES_FILE",
            settings.trades_file.as_deref(),
            DEFAULT,
            Self::parse,
        )
    }
}

#[cfg(test)]
mod tests;
