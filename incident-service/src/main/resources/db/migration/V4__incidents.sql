create sequence incident_number_seq;

create table incident (
    id                    uuid          primary key,
    number                bigint        not null unique default nextval('incident_number_seq'),
    title                 varchar(1024) not null,
    severity              varchar(4)    not null check (severity in ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    state                 varchar(16)   not null
        check (state in ('triggered', 'acknowledged', 'mitigated', 'resolved', 'closed')),
    impact                varchar(4000),
    source                varchar(20)   not null check (source in ('events_v2', 'alertmanager', 'sos', 'manual')),
    service_id            uuid          not null references technical_service (id),
    integration_key_id    uuid          references integration_key (id),
    -- events_v2: the dedup_key; alertmanager: the groupKey; null for SOS and manual incidents
    dedup_key             varchar(1024),
    owning_team_id        uuid,
    escalation_policy_id  uuid,
    commander_id          uuid          references person (id),
    liaison_id            uuid          references person (id),
    war_room_url          varchar(2000),
    slack_channel         varchar(100),
    slack_ts              varchar(50),
    slack_permalink       varchar(2000),
    problem_started_at    timestamptz,
    created_at            timestamptz   not null,
    acknowledged_at       timestamptz,
    assigned_at           timestamptz,
    mitigated_at          timestamptz,
    resolved_at           timestamptz,
    closed_at             timestamptz,
    -- when toban.incident.triggered was written; every later event of the incident comes after it
    announced_at          timestamptz,
    last_status_update_at timestamptz,
    next_update_due_at    timestamptz,
    created_by            jsonb         not null,
    version               bigint        not null default 0
);
-- One open incident per integration key and dedup key (groupKey for Alertmanager): concurrent
-- triggers race on this index, not on luck.
create unique index incident_open_dedup on incident (integration_key_id, dedup_key)
    where dedup_key is not null and state in ('triggered', 'acknowledged', 'mitigated');
create index incident_created on incident (created_at);
create index incident_open on incident (state) where state <> 'closed';
create index incident_service_created on incident (service_id, created_at);
create index incident_team_created on incident (owning_team_id, created_at);
create index incident_update_due on incident (next_update_due_at) where next_update_due_at is not null;

create table incident_team (
    id          uuid        primary key,
    incident_id uuid        not null references incident (id),
    team_id     uuid        not null,
    assigned_at timestamptz not null,
    unique (incident_id, team_id)
);

create table incident_responder (
    id          uuid        primary key,
    incident_id uuid        not null references incident (id),
    person_id   uuid        not null references person (id),
    joined_at   timestamptz not null,
    unique (incident_id, person_id)
);

create table alert (
    id                 uuid          primary key,
    incident_id        uuid          not null references incident (id),
    service_id         uuid          not null references technical_service (id),
    integration_key_id uuid          references integration_key (id),
    kind               varchar(20)   not null check (kind in ('events_v2', 'alertmanager', 'sos')),
    -- events_v2: the dedup_key; alertmanager: the alert's fingerprint
    dedup_key          varchar(1024),
    status             varchar(16)   not null check (status in ('triggered', 'acknowledged', 'resolved')),
    summary            varchar(1024) not null,
    severity           varchar(32),
    source             varchar(1024),
    component          varchar(1024),
    alert_group        varchar(1024),
    alert_class        varchar(1024),
    client             varchar(1024),
    client_url         varchar(2000),
    custom_details     jsonb,
    links              jsonb,
    images             jsonb,
    labels             jsonb,
    annotations        jsonb,
    generator_url      varchar(2000),
    started_at         timestamptz,
    created_at         timestamptz   not null,
    last_event_at      timestamptz   not null,
    event_count        integer       not null default 1,
    acknowledged_at    timestamptz,
    resolved_at        timestamptz
);
-- PagerDuty semantics: a trigger attaches to the open alert with the same routing key + dedup key.
create unique index alert_open_dedup on alert (integration_key_id, dedup_key)
    where dedup_key is not null and status <> 'resolved';
create index alert_incident on alert (incident_id);

create table timeline_entry (
    id          uuid        primary key,
    seq         bigserial   not null,
    incident_id uuid        not null references incident (id),
    at          timestamptz not null,
    kind        varchar(40) not null,
    actor       jsonb       not null,
    message     text        not null,
    data        jsonb
);
create index timeline_entry_incident on timeline_entry (incident_id, at, seq);

-- "Needs an IC": written with the incident, worked off after commit (outside the ingestion
-- transaction) by whichever replica claims it first.
create table commander_job (
    incident_id     uuid        primary key references incident (id),
    policy_id       uuid,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    claimed_until   timestamptz,
    last_problem    varchar(1000),
    created_at      timestamptz not null
);
create index commander_job_due on commander_job (next_attempt_at);

-- The next escalation step of an unacknowledged incident. Persistent, so it survives restarts;
-- claimed with FOR UPDATE SKIP LOCKED, so two replicas fire it once.
create table escalation_timer (
    incident_id   uuid        primary key references incident (id),
    policy_id     uuid        not null,
    level         integer     not null,
    repeat        integer     not null,
    fire_at       timestamptz not null,
    claimed_until timestamptz,
    failures      integer     not null default 0
);
create index escalation_timer_due on escalation_timer (fire_at);

-- The last answer of oncall-service per policy and level: the fallback while it is down.
create table policy_targets_cache (
    policy_id  uuid        not null,
    level      integer     not null,
    answer     jsonb       not null,
    fetched_at timestamptz not null,
    primary key (policy_id, level)
);
