//! Reads the trade file through serde seeds instead of a derived struct, so that a duplicate
//! spelling is refused where it stands: serde_json puts the reader's line and column on an
//! error a visitor returns, and a seed can carry the texts seen so far from trade to trade.

use std::{collections::HashMap, fmt};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::key;

/// One trade as the file writes it.
#[derive(Debug)]
pub(super) struct FileTrade {
    pub name: String,
    pub spellings: Vec<String>,
    pub craft: bool,
    pub apprentice_trade: bool,
}

const FILE_FIELDS: &[&str] = &["trades"];
const TRADE_FIELDS: &[&str] = &["name", "spellings", "craft", "apprenticeTrade"];

/// Every text read so far, by key: the trade it belongs to (its place in the file), whether
/// it was that trade's name, and how it was first written.
type Seen = HashMap<String, (usize, bool, String)>;

/// The trades of `text`, in file order; the error carries the line of the fault.
pub(super) fn read(text: &str) -> Result<Vec<FileTrade>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let trades = FileSeed.deserialize(&mut de)?;
    de.end()?;
    Ok(trades)
}

/// Notes `text` as trade `index`'s name or spelling; a text that another trade (or this
/// trade's spellings) already has is refused. The name may stand among its own spellings.
fn note(seen: &mut Seen, index: usize, is_name: bool, text: &str) -> Result<(), String> {
    let k = key(text);
    if k.is_empty() {
        let what = if is_name { "name" } else { "spelling" };
        return Err(format!("a trade's {what} is blank"));
    }
    match seen.get(&k) {
        Some((i, was_name, _)) if *i == index && *was_name != is_name => Ok(()),
        Some((i, _, first)) if *i == index => Err(format!(
            "duplicate spelling '{text}': this trade already lists '{first}'"
        )),
        Some((_, _, first)) => Err(format!(
            "duplicate spelling '{text}': another trade already has '{first}' (spellings are compared trimmed, spaces collapsed, without case)"
        )),
        None => {
            seen.insert(k, (index, is_name, text.to_string()));
            Ok(())
        }
    }
}

struct FileSeed;

impl<'de> DeserializeSeed<'de> for FileSeed {
    type Value = Vec<FileTrade>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct("TradeFile", FILE_FIELDS, self)
    }
}

impl<'de> Visitor<'de> for FileSeed {
    type Value = Vec<FileTrade>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a list of trades: { \"trades\": [...] }")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut trades = None;
        while let Some(field) = map.next_key::<String>()? {
            match field.as_str() {
                "trades" if trades.is_some() => return Err(de::Error::duplicate_field("trades")),
                "trades" => trades = Some(map.next_value_seed(TradesSeed)?),
                other => return Err(de::Error::unknown_field(other, FILE_FIELDS)),
            }
        }
        trades.ok_or_else(|| de::Error::missing_field("trades"))
    }
}

struct TradesSeed;

impl<'de> DeserializeSeed<'de> for TradesSeed {
    type Value = Vec<FileTrade>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for TradesSeed {
    type Value = Vec<FileTrade>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of trades")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut seen = Seen::new();
        let mut out = Vec::new();
        while let Some(trade) = seq.next_element_seed(TradeSeed {
            index: out.len(),
            seen: &mut seen,
        })? {
            out.push(trade);
        }
        Ok(out)
    }
}

struct TradeSeed<'s> {
    index: usize,
    seen: &'s mut Seen,
}

impl<'de> DeserializeSeed<'de> for TradeSeed<'_> {
    type Value = FileTrade;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_struct("Trade", TRADE_FIELDS, self)
    }
}

impl<'de> Visitor<'de> for TradeSeed<'_> {
    type Value = FileTrade;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a trade: { \"name\", \"spellings\", \"craft\", \"apprenticeTrade\" }")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut name, mut spellings, mut craft, mut apprentice_trade) = (None, None, None, None);
        while let Some(field) = map.next_key::<String>()? {
            match field.as_str() {
                "name" if name.is_some() => return Err(de::Error::duplicate_field("name")),
                "name" => {
                    let text: String = map.next_value()?;
                    note(self.seen, self.index, true, &text).map_err(de::Error::custom)?;
                    name = Some(crate::validate::collapse_spaces(&text));
                }
                "spellings" if spellings.is_some() => {
                    return Err(de::Error::duplicate_field("spellings"));
                }
                "spellings" => {
                    spellings = Some(map.next_value_seed(SpellingsSeed {
                        index: self.index,
                        seen: &mut *self.seen,
                    })?);
                }
                "craft" if craft.is_some() => return Err(de::Error::duplicate_field("craft")),
                "craft" => craft = Some(map.next_value::<bool>()?),
                "apprenticeTrade" if apprentice_trade.is_some() => {
                    return Err(de::Error::duplicate_field("apprenticeTrade"));
                }
                "apprenticeTrade" => apprentice_trade = Some(map.next_value::<bool>()?),
                other => return Err(de::Error::unknown_field(other, TRADE_FIELDS)),
            }
        }
        Ok(FileTrade {
            name: name.ok_or_else(|| de::Error::missing_field("name"))?,
            spellings: spellings.unwrap_or_default(),
            craft: craft.ok_or_else(|| de::Error::missing_field("craft"))?,
            apprentice_trade: apprentice_trade
                .ok_or_else(|| de::Error::missing_field("apprenticeTrade"))?,
        })
    }
}

struct SpellingsSeed<'s> {
    index: usize,
    seen: &'s mut Seen,
}

impl<'de> DeserializeSeed<'de> for SpellingsSeed<'_> {
    type Value = Vec<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for SpellingsSeed<'_> {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of spellings")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(text) = seq.next_element::<String>()? {
            // Returned here, the error gets the line of the spelling just read.
            note(self.seen, self.index, false, &text).map_err(de::Error::custom)?;
            out.push(crate::validate::collapse_spaces(&text));
        }
        Ok(out)
    }
}
