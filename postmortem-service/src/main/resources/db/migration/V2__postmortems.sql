-- Postmortems (障害撲滅委員会): one per incident, opened when incident-service reports it resolved.
create table postmortem (
    id                        uuid         primary key,
    incident_id               uuid         not null,
    incident_number           integer,
    incident_title            varchar(500) not null,
    incident_state            varchar(20)  not null,
    -- the incident reopened after the postmortem was opened; cleared when it resolves again
    incident_reopened         boolean      not null default false,
    -- IncidentSnapshot.version of the last snapshot applied: an older one never overwrites a newer one
    incident_version          bigint       not null,
    incident_snapshot         text         not null,
    severity                  varchar(16)  not null,
    required                  boolean      not null,
    state                     varchar(20)  not null
        check (state in ('pending_decision', 'scheduled', 'held', 'published', 'skipped')),
    decision                  varchar(8)   check (decision in ('hold', 'skip')),
    skip_reason               text,
    decided_by                varchar(100),
    decided_at                timestamptz,
    decision_due_at           timestamptz  not null,
    owning_team_id            uuid,
    owning_team_name          varchar(100),
    owning_team_slack_channel varchar(100),
    time_zone                 varchar(64)  not null,
    slack_thread_channel      varchar(100),
    slack_thread_ts           varchar(40),
    problem_started_at        timestamptz,
    incident_created_at       timestamptz,
    acknowledged_at           timestamptz,
    assigned_at               timestamptz,
    mitigated_at              timestamptz,
    resolved_at               timestamptz,
    closed_at                 timestamptz,
    held_at                   timestamptz,
    published_at              timestamptz,
    created_at                timestamptz  not null,
    updated_at                timestamptz  not null,
    version                   bigint       not null default 0,
    constraint postmortem_one_per_incident unique (incident_id),
    constraint postmortem_skip_has_reason check (decision is distinct from 'skip' or skip_reason is not null)
);

create index postmortem_pending_due on postmortem (decision_due_at) where state = 'pending_decision';
create index postmortem_state on postmortem (state, created_at);

-- The people invited to the meeting. Removed people stay (removed = true) so that refreshing the
-- team's members does not invite them again.
create table participant (
    id            uuid         primary key,
    postmortem_id uuid         not null references postmortem (id),
    person_id     uuid,
    username      varchar(100),
    name          varchar(200),
    email         varchar(320),
    source        varchar(12)  not null check (source in ('commander', 'liaison', 'responder', 'team', 'added')),
    removed       boolean      not null default false,
    created_at    timestamptz  not null
);

create unique index participant_email on participant (postmortem_id, lower(email)) where email is not null;
create unique index participant_person on participant (postmortem_id, person_id) where person_id is not null;
create index participant_busy_email on participant (lower(email)) where not removed;

-- A postmortem meeting. UID is stable for the life of the meeting; SEQUENCE rises on each change
-- (RFC 5546). A cancelled meeting stays for the record; scheduling again creates a new one.
create table meeting (
    id             uuid         primary key,
    postmortem_id  uuid         not null references postmortem (id),
    uid            varchar(200) not null unique,
    status         varchar(12)  not null check (status in ('scheduled', 'held', 'cancelled')),
    start_at       timestamptz  not null,
    end_at         timestamptz  not null,
    time_zone      varchar(64)  not null,
    sequence       integer      not null,
    location       varchar(500),
    organizer_name varchar(200),
    organizer_email varchar(320) not null,
    cancel_reason  text,
    created_at     timestamptz  not null,
    updated_at     timestamptz  not null,
    version        bigint       not null default 0,
    check (end_at > start_at)
);

create unique index meeting_one_active on meeting (postmortem_id) where status <> 'cancelled';
create index meeting_busy on meeting (start_at, end_at) where status <> 'cancelled';

-- The blameless document. Its own optimistic-lock version, so edits never collide with state changes.
create table postmortem_document (
    postmortem_id        uuid        primary key references postmortem (id),
    language             varchar(2)  not null check (language in ('ja', 'en')),
    summary              text,
    impact               text,
    contributing_factors text,
    went_well            text,
    went_poorly          text,
    got_lucky            text,
    updated_by           varchar(100),
    updated_at           timestamptz not null,
    version              bigint      not null default 0
);

-- The incident's timeline as incident-service returned it; filled in by a retry job.
create table postmortem_timeline (
    postmortem_id   uuid        primary key references postmortem (id),
    incident_id     uuid        not null,
    entries         text,
    fetched_at      timestamptz,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz,
    last_error      text
);

create index postmortem_timeline_due on postmortem_timeline (next_attempt_at) where fetched_at is null;

create table action_item (
    id                 uuid          primary key,
    postmortem_id      uuid          not null references postmortem (id),
    title              varchar(300)  not null,
    description        text,
    owner_person_id    uuid          not null,
    owner_username     varchar(100),
    owner_name         varchar(200),
    owner_email        varchar(320),
    team_id            uuid          not null,
    team_name          varchar(100)  not null,
    team_slack_channel varchar(100),
    team_time_zone     varchar(64)   not null,
    due_date           date          not null,
    status             varchar(12)   not null check (status in ('open', 'in_progress', 'done', 'wont_do')),
    external_url       varchar(1000),
    exported_at        timestamptz,
    -- set while an export call is in flight, so two replicas never create the issue twice
    export_claimed_at  timestamptz,
    created_at         timestamptz   not null,
    updated_at         timestamptz   not null,
    version            bigint        not null default 0
);

create index action_item_postmortem on action_item (postmortem_id, created_at);
create index action_item_open_due on action_item (due_date) where status in ('open', 'in_progress');

-- Where a team's action items go: an outgoing webhook that creates a GitHub or Jira issue.
create table backlog_webhook (
    id               uuid          primary key,
    team_id          uuid          not null unique,
    team_name        varchar(100),
    kind             varchar(10)   not null check (kind in ('github', 'jira')),
    url              varchar(1000) not null,
    secret           varchar(1000),
    jira_project_key varchar(50),
    jira_issue_type  varchar(50),
    labels           text          not null default '',
    assign_owner     boolean       not null default false,
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    version          bigint        not null default 0
);

-- Invitation emails, written in the transaction of the change and sent after commit by MailRelay.
create table outgoing_mail (
    id              uuid         primary key,
    postmortem_id   uuid         not null references postmortem (id),
    meeting_id      uuid         not null references meeting (id),
    method          varchar(10)  not null check (method in ('REQUEST', 'CANCEL')),
    sequence        integer      not null,
    recipient       varchar(320) not null,
    subject         varchar(500) not null,
    text_body       text         not null,
    html_body       text         not null,
    ics             text         not null,
    created_at      timestamptz  not null,
    sent_at         timestamptz,
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text
);

create index outgoing_mail_unsent on outgoing_mail (next_attempt_at, created_at) where sent_at is null;

-- One row per reminder ever sent: the primary key makes "once" hold across replicas and restarts.
create table reminder_sent (
    kind       varchar(40) not null,
    subject_id uuid        not null,
    period     varchar(40) not null,
    sent_at    timestamptz not null,
    primary key (kind, subject_id, period)
);
