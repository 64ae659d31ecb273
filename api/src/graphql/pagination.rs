//! Relay connections with opaque cursors and the page-size limits from the settings.

use async_graphql::{
    Context, OutputType, SimpleObject,
    connection::{Connection, CursorType, Edge, EmptyFields},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use crate::{config::Limits, error::AppError};

/// A position in a list. Opaque to clients: they pass back what they were given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OffsetCursor(pub u64);

const CURSOR_PREFIX: &str = "o:";

/// No list holds a billion items; a cursor beyond that was not given out here, and refusing it
/// keeps every offset sum far from overflowing.
pub const MAX_OFFSET: u64 = 1_000_000_000;

impl CursorType for OffsetCursor {
    type Error = AppError;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let bad = || AppError::bad_input("after", "this cursor was not given out by this API");
        let bytes = URL_SAFE_NO_PAD.decode(s).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        text.strip_prefix(CURSOR_PREFIX)
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| *n < MAX_OFFSET)
            .map(OffsetCursor)
            .ok_or_else(bad)
    }

    fn encode_cursor(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{}", self.0))
    }
}

/// The extra field every connection of the contract has.
#[derive(SimpleObject)]
pub struct TotalCount {
    pub total_count: i32,
}

/// Which slice of a list a request asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub offset: u64,
    pub limit: u64,
    /// Whether to count the whole list for `totalCount`: a second statement over everything
    /// the filter selects, paid for only by a selection that shows the total.
    pub count_total: bool,
}

impl PageRequest {
    pub fn new(first: Option<i32>, after: Option<&str>, limits: &Limits) -> Result<Self, AppError> {
        let limit = match first {
            None => limits.default_page_size,
            Some(n) if n < 1 => return Err(AppError::bad_input("first", "must be at least 1")),
            Some(n) => {
                let n = u64::try_from(n).unwrap_or(u64::MAX);
                if n > limits.max_page_size {
                    return Err(AppError::bad_input(
                        "first",
                        format!("at most {} per page", limits.max_page_size),
                    ));
                }
                n
            }
        };
        let offset = match after {
            None => 0,
            Some(cursor) => OffsetCursor::decode_cursor(cursor)?.0 + 1,
        };
        Ok(Self {
            offset,
            limit,
            count_total: true,
        })
    }

    /// Counts the total only if the selection below the connection asks for `totalCount`.
    pub fn total_if_asked(self, ctx: &Context<'_>) -> Self {
        Self {
            count_total: ctx.look_ahead().field("totalCount").exists(),
            ..self
        }
    }

    /// How many rows to fetch: one more than the page, so that the extra one tells whether a
    /// next page exists without counting the list.
    pub fn fetch_limit(&self) -> u64 {
        self.limit.saturating_add(1)
    }
}

pub type Page<N> = Connection<OffsetCursor, N, TotalCount, EmptyFields>;

/// Wraps one page of `nodes` of a list of `total` items (`None`: not counted, because not asked).
/// `nodes` may hold one row beyond the page (see [`PageRequest::fetch_limit`]): it is dropped and
/// only says that a next page exists.
pub fn page<N: OutputType>(page: PageRequest, total: Option<u64>, mut nodes: Vec<N>) -> Page<N> {
    let beyond = nodes.len() as u64 > page.limit;
    nodes.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let count = nodes.len() as u64;
    let has_next = beyond || total.is_some_and(|total| page.offset + count < total);
    // Without a count the field is not in the selection; what stands here is never sent.
    let total = total.unwrap_or(page.offset + count + u64::from(beyond));
    let mut connection = Connection::with_additional_fields(
        page.offset > 0,
        has_next,
        TotalCount {
            total_count: i32::try_from(total).unwrap_or(i32::MAX),
        },
    );
    connection.edges.extend(
        nodes
            .into_iter()
            .enumerate()
            .map(|(i, node)| Edge::new(OffsetCursor(page.offset + i as u64), node)),
    );
    connection
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_forgeries() {
        let c = OffsetCursor(41);
        assert_eq!(OffsetCursor::decode_cursor(&c.encode_cursor()).unwrap(), c);
        assert!(OffsetCursor::decode_cursor("not-a-cursor").is_err());
        assert!(OffsetCursor::decode_cursor(&URL_SAFE_NO_PAD.encode("x:1")).is_err());
        // 2^63 - 1 once panicked in the offset arithmetic; it is refused as a forgery now.
        let huge = URL_SAFE_NO_PAD.encode(format!("o:{}", i64::MAX));
        assert!(matches!(
            OffsetCursor::decode_cursor(&huge),
            Err(AppError::BadInput { ref field, .. }) if field == "after"
        ));
    }

    #[test]
    fn page_size_defaults_and_limits() {
        let limits = Limits::default();
        assert_eq!(
            PageRequest::new(None, None, &limits).unwrap(),
            PageRequest {
                offset: 0,
                limit: 50,
                count_total: true,
            }
        );
        assert!(PageRequest::new(Some(501), None, &limits).is_err());
        assert!(PageRequest::new(Some(0), None, &limits).is_err());
        let after = OffsetCursor(9).encode_cursor();
        assert_eq!(
            PageRequest::new(Some(10), Some(&after), &limits).unwrap(),
            PageRequest {
                offset: 10,
                limit: 10,
                count_total: true,
            }
        );
    }
}
