-- Heartbeat monitors (issue 19): a job that should POST /heartbeat/{token} every interval; a missed beat (interval
-- plus grace without one) opens an incident, the next beat resolves it. All state is here, so a restart of
-- incident-service neither forgets a miss nor invents one.
alter table incident drop constraint incident_source_check;
alter table incident add constraint incident_source_check
    check (source in ('events_v2', 'alertmanager', 'sos', 'manual', 'heartbeat'));

create table heartbeat_monitor (
    id               uuid         primary key,
    service_id       uuid         not null references technical_service (id),
    name             varchar(100) not null,
    interval_minutes integer      not null check (interval_minutes between 1 and 10080),
    grace_minutes    integer      not null check (grace_minutes between 0 and 1440),
    -- the URL token is a credential: only its SHA-256 and last 4 characters are kept (like integration keys)
    token_hash       char(64)     not null unique,
    last4            char(4)      not null,
    created_at       timestamptz  not null,
    created_by       varchar(100),
    last_beat_at     timestamptz,
    -- when the next beat is late: the last beat (or creation) + interval + grace
    due_at           timestamptz  not null,
    -- the open incident of a miss, resolved by the next beat
    incident_id      uuid         references incident (id),
    deleted_at       timestamptz,
    deleted_by       varchar(100)
);
create index heartbeat_monitor_due on heartbeat_monitor (due_at) where deleted_at is null;
create index heartbeat_monitor_service on heartbeat_monitor (service_id);
create unique index heartbeat_monitor_name on heartbeat_monitor (service_id, lower(name)) where deleted_at is null;
