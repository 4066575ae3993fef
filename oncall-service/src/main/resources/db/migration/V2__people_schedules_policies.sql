-- People, team members, schedules with layers, overrides, cover requests, escalation policies,
-- iCal tokens and the handoff bookkeeping. Child rows are written by position; the uniqueness rules
-- they carry are deferred to commit so a reordering inside one transaction never trips them.

create table person (
    id               uuid         primary key,
    name             varchar(200) not null,
    username         varchar(100) not null,
    email            varchar(320),
    slack_user_id    varchar(50),
    time_zone        varchar(64)  not null,
    locale           varchar(5)   not null check (locale in ('ja', 'en')),
    keycloak_subject varchar(100),
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    version          bigint       not null default 0
);
create unique index person_username_unique on person (lower(username));
create unique index person_keycloak_subject_unique on person (keycloak_subject) where keycloak_subject is not null;

create table contact_method (
    person_id uuid         not null references person (id) on delete cascade,
    position  int          not null,
    id        uuid         not null,
    type      varchar(20)  not null check (type in ('slack', 'email', 'webhook')),
    address   varchar(500) not null,
    label     varchar(100),
    primary key (person_id, position),
    constraint contact_method_id_unique unique (id) deferrable initially deferred
);

create table notification_rule (
    person_id         uuid not null references person (id) on delete cascade,
    position          int  not null,
    id                uuid not null,
    contact_method_id uuid not null,
    delay_minutes     int  not null check (delay_minutes >= 0),
    primary key (person_id, position),
    constraint notification_rule_id_unique unique (id) deferrable initially deferred
);

create table team_member (
    team_id   uuid not null references team (id) on delete cascade,
    position  int  not null,
    person_id uuid not null references person (id),
    primary key (team_id, position),
    constraint team_member_unique unique (team_id, person_id) deferrable initially deferred
);
create index team_member_person on team_member (person_id);

create table schedule (
    id          uuid          primary key,
    team_id     uuid          not null references team (id),
    name        varchar(100)  not null,
    role        varchar(50)   not null,
    time_zone   varchar(64)   not null,
    description varchar(1000),
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null,
    version     bigint        not null default 0
);
create unique index schedule_team_role_unique on schedule (team_id, lower(role));

create table schedule_layer (
    id           uuid         primary key,
    schedule_id  uuid         not null references schedule (id) on delete cascade,
    position     int          not null,
    name         varchar(100) not null,
    level        int          not null,
    slots        int          not null check (slots >= 1),
    shift_amount int          not null check (shift_amount >= 1),
    shift_unit   varchar(10)  not null check (shift_unit in ('HOURS', 'DAYS', 'WEEKS')),
    handoff_time time         not null,
    start_date   date         not null,
    constraint schedule_layer_level_unique unique (schedule_id, level) deferrable initially deferred
);
create index schedule_layer_schedule on schedule_layer (schedule_id);

create table layer_participant (
    layer_id  uuid not null references schedule_layer (id) on delete cascade,
    position  int  not null,
    person_id uuid not null references person (id),
    primary key (layer_id, position)
);
create index layer_participant_person on layer_participant (person_id);

create table layer_restriction (
    layer_id     uuid        not null references schedule_layer (id) on delete cascade,
    position     int         not null,
    days_of_week varchar(80) not null,
    start_time   time        not null,
    end_time     time        not null,
    primary key (layer_id, position)
);

create table schedule_override (
    id                 uuid         primary key,
    schedule_id        uuid         not null references schedule (id) on delete cascade,
    person_id          uuid         not null references person (id),
    replaces_person_id uuid         references person (id),
    start_at           timestamptz  not null,
    end_at             timestamptz  not null,
    note               varchar(500),
    cover_request_id   uuid,
    created_by         varchar(100) not null,
    created_at         timestamptz  not null,
    check (end_at > start_at)
);
-- "who is on call at T" for every schedule at once: one range lookup
create index schedule_override_range on schedule_override using gist (tstzrange(start_at, end_at));
-- one schedule's overrides in a range (shifts, overlap checks)
create index schedule_override_schedule on schedule_override (schedule_id, end_at);

create table cover_request (
    id               uuid         primary key,
    schedule_id      uuid         not null references schedule (id) on delete cascade,
    requester_id     uuid         not null references person (id),
    target_id        uuid         references person (id),
    kind             varchar(10)  not null check (kind in ('cover', 'swap')),
    start_at         timestamptz  not null,
    end_at           timestamptz  not null,
    swap_start_at    timestamptz,
    swap_end_at      timestamptz,
    note             varchar(500),
    status           varchar(20)  not null check (status in ('open', 'accepted', 'cancelled')),
    accepted_by_id   uuid         references person (id),
    override_id      uuid,
    swap_override_id uuid,
    created_by       varchar(100) not null,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null,
    version          bigint       not null default 0,
    check (end_at > start_at),
    check (kind = 'cover' or (swap_start_at is not null and swap_end_at > swap_start_at))
);
create index cover_request_schedule on cover_request (schedule_id, status);

create table escalation_policy (
    id           uuid          primary key,
    name         varchar(100)  not null,
    description  varchar(1000),
    repeat_count int           not null check (repeat_count >= 0),
    created_at   timestamptz   not null,
    updated_at   timestamptz   not null,
    version      bigint        not null default 0
);
create unique index escalation_policy_name_unique on escalation_policy (lower(name));

create table escalation_level (
    policy_id     uuid not null references escalation_policy (id) on delete cascade,
    position      int  not null,
    delay_minutes int  not null check (delay_minutes >= 1),
    primary key (policy_id, position)
);

create table escalation_target (
    policy_id   uuid        not null references escalation_policy (id) on delete cascade,
    position    int         not null,
    level       int         not null,
    target_type varchar(10) not null check (target_type in ('schedule', 'person')),
    target_id   uuid        not null,
    primary key (policy_id, position)
);
create index escalation_target_target on escalation_target (target_type, target_id);

create table ical_token (
    id            uuid         primary key,
    subject_type  varchar(10)  not null check (subject_type in ('schedule', 'person')),
    subject_id    uuid         not null,
    owner_username varchar(100) not null,
    token_hash    varchar(64)  not null unique,
    created_at    timestamptz  not null,
    revoked_at    timestamptz
);
create unique index ical_token_live on ical_token (subject_type, subject_id, lower(owner_username)) where revoked_at is null;

-- Bumped in the same transaction as any change to people, teams, schedules or policies; every
-- instance reloads its in-memory snapshot when the number differs from the one it holds.
create table config_version (
    id      int    primary key check (id = 1),
    version bigint not null
);
insert into config_version (id, version) values (1, 1);

-- Who is on call right now per schedule, as announced. The partial unique index makes
-- toban.oncall.shift.started and .ended exactly once across replicas and restarts.
create table open_shift (
    id          bigserial   primary key,
    schedule_id uuid        not null,
    person_id   uuid        not null,
    started_at  timestamptz not null,
    ended_at    timestamptz,
    announced   boolean     not null,
    opened_at   timestamptz not null
);
create unique index open_shift_open on open_shift (schedule_id, person_id) where ended_at is null;
create index open_shift_ended on open_shift (ended_at) where ended_at is not null;

-- toban.oncall.shift.upcoming once per (schedule, person, shift start).
create table shift_notice (
    schedule_id uuid        not null,
    person_id   uuid        not null,
    shift_start timestamptz not null,
    created_at  timestamptz not null,
    primary key (schedule_id, person_id, shift_start)
);
create index shift_notice_start on shift_notice (shift_start);
