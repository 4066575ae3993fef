-- The instant of the last handoff tick (any replica). A tick never runs at an earlier instant than
-- this unless the gap is large (a corrected clock), so a replica whose clock lags a little, or that
-- read its clock before waiting for the tick lock, cannot re-open a shift another replica just ended.
create table handoff_clock (
    id        int         primary key check (id = 1),
    last_tick timestamptz not null
);
insert into handoff_clock (id, last_tick) values (1, timestamptz '1970-01-01 00:00:00+00');
