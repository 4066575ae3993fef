-- Maintenance windows (issue 19): planned work on one or several services. Times are local to the window's
-- time zone (an explicit ZoneId), so a weekly window stays at 02:00 local across DST changes.
create table maintenance_window (
    id          uuid          primary key,
    reason      varchar(500)  not null,
    starts_at   timestamp     not null,  -- local date-time in time_zone
    ends_at     timestamp     not null,  -- local date-time in time_zone, after starts_at
    time_zone   varchar(64)   not null,
    recurrence  varchar(10)   not null default 'none' check (recurrence in ('none', 'weekly')),
    created_by  varchar(100),
    created_at  timestamptz   not null,
    cancelled_at timestamptz,
    cancelled_by varchar(100),
    check (ends_at > starts_at)
);

create table maintenance_window_service (
    window_id  uuid not null references maintenance_window (id),
    service_id uuid not null references technical_service (id),
    primary key (window_id, service_id)
);
create index maintenance_window_service_service on maintenance_window_service (service_id);

-- What an alert does during a window: suppress (recorded, no incident, no page) or low_urgency (an incident at
-- the lowest severity whose IC is named but nobody is paged).
alter table technical_service
    add column maintenance_mode varchar(12) not null default 'suppress'
        check (maintenance_mode in ('suppress', 'low_urgency'));

alter table incident add column low_urgency boolean not null default false;

-- Alerts received during a window of the suppress mode: recorded and visible, one row per window occurrence,
-- integration key and dedup key (repeats counted).
create table suppressed_alert (
    id                 uuid          primary key,
    window_id          uuid          not null references maintenance_window (id),
    service_id         uuid          not null references technical_service (id),
    integration_key_id uuid          references integration_key (id),
    kind               varchar(20)   not null,
    dedup_key          varchar(1024) not null,
    summary            varchar(1024) not null,
    severity           varchar(32),
    source             varchar(1024),
    first_at           timestamptz   not null,
    last_at            timestamptz   not null,
    event_count        integer       not null default 1,
    unique (window_id, integration_key_id, dedup_key)
);
create index suppressed_alert_service on suppressed_alert (service_id, last_at desc);
