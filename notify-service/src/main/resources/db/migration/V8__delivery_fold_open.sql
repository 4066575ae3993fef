-- An address over its page rate limit has one pending summary (purpose 'fold') that every further page folds
-- into. Found through the pending deliveries' due-time index it cost a scan of all of them: 7 ms per folded page
-- with the 12,000 pending that a storm paging the same two people leaves, which held up every other claim.
create index delivery_fold_open on delivery (channel, target, seq) where purpose = 'fold' and state = 'pending';
