-- Indexes that keep the dispatcher's queries probes, whatever the planner's statistics say. In a storm the delivery
-- table grows faster than autovacuum analyzes it (and with autovacuum off, never), so the planner believes a few
-- deliveries are pending when thousands are (docs/performance.md, "Plans that do not depend on statistics").
--
-- Unlaned deliveries (emails, webhooks) are claimed in due order. Read through the lane index and filtered on
-- the due time, the claim cost 2.5 ms of PostgreSQL with the 6,600 pending page emails of a storm (each due minutes
-- ahead). This index gives them in due order and stops at the first one not yet due.
create index delivery_unlaned_due on delivery (due_at, seq) where state = 'pending' and lane is null;

-- After each send the dispatcher asks whether a pending delivery waits for it. On blocked_by alone the planner
-- combined this index with the one of all pending deliveries (a bitmap of every pending row: 4-8 ms a send);
-- with the state in it the probe is one index lookup. The foreign key's lookups use its first column as before.
drop index delivery_blocked_by;
create index delivery_blocked_by on delivery (blocked_by, state);
