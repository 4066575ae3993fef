-- The dispatcher's claim walks each lane's pending deliveries in send order (priority, seq) and stops at
-- the first it may send, instead of filtering every pending delivery of every lane: a backlog of thousands
-- (a storm paging the same people) made each claim scan all of them (about 40 ms at 12,000 pending).
-- Threaded and unthreaded deliveries are walked apart: a lane sends one unthreaded post at a time, so with
-- one in flight its other unthreaded posts are not looked at.
create index delivery_lane_threaded on delivery (lane, priority, seq) where state = 'pending' and thread_key is not null;
create index delivery_lane_unthreaded on delivery (lane, priority, seq) where state = 'pending' and thread_key is null;
