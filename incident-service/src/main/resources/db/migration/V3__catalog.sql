-- The service catalog: which team owns a technical service, whom to page, where its runbook is.
create table technical_service (
    id                   uuid          primary key,
    name                 varchar(100)  not null,
    description          varchar(2000),
    owning_team_id       uuid          not null,
    escalation_policy_id uuid          not null,
    runbook_url          varchar(2000),
    slack_channel        varchar(100),
    created_at           timestamptz   not null,
    updated_at           timestamptz   not null,
    version              bigint        not null default 0
);
create unique index technical_service_name on technical_service (lower(name));

-- Integration keys are credentials: only a SHA-256 hash and the last 4 characters are kept.
create table integration_key (
    id         uuid         primary key,
    service_id uuid         not null references technical_service (id),
    name       varchar(100) not null,
    type       varchar(20)  not null check (type in ('events_v2', 'alertmanager')),
    key_hash   char(64)     not null unique,
    last4      char(4)      not null,
    created_at timestamptz  not null,
    created_by varchar(100),
    revoked_at timestamptz,
    revoked_by varchar(100)
);
create index integration_key_service on integration_key (service_id);

-- Change events (POST /v2/change/enqueue): the service's timeline of deploys and the like.
create table change_event (
    id                 uuid          primary key,
    service_id         uuid          not null references technical_service (id),
    integration_key_id uuid          not null references integration_key (id),
    summary            varchar(1024) not null,
    source             varchar(1024),
    happened_at        timestamptz   not null,
    received_at        timestamptz   not null,
    custom_details     jsonb,
    links              jsonb
);
create index change_event_service_time on change_event (service_id, happened_at desc);
