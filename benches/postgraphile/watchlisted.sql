-- The watchlist flag as a PostGraphile computed column (`Supplier.watchlisted`), with the
-- rule samkjop applies: listed on or before today and not struck off on or before it.
create or replace function supplier_watchlisted(s supplier) returns boolean as $$
  select exists (
    select 1 from watchlist_entry w
    where w.supplier_id = s.id
      and w.listed_on <= current_date
      and (w.removed_on is null or w.removed_on > current_date)
  )
$$ language sql stable;
