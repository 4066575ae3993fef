-- A delivery in backoff that was retried early because another message to the same provider got
-- through: if that early try fails too, it does not count against the delivery's attempts.
alter table delivery add column woken boolean not null default false;
