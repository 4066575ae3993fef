-- notify-service: the delivery log, the Slack thread of each incident, templates, webhooks, reminders.

-- One row per message to one target on one channel. Consumers only insert rows (in the inbox
-- transaction); the dispatcher sends them, so retries survive restarts.
create table delivery (
    id                  uuid          primary key,
    seq                 bigserial     not null unique,
    event_id            varchar(200)  not null,
    event_type          varchar(200)  not null,
    event_time          timestamptz   not null,
    subject             varchar(200),
    incident_id         uuid,
    -- what the message is for: thread, page, handoff, cover, postmortem, reminder, webhook
    purpose             varchar(40)   not null,
    -- slack, email, webhook
    channel             varchar(20)   not null,
    -- slack_parent, slack_reply, slack_update, slack_post, email, webhook
    kind                varchar(30)   not null,
    -- Slack channel or user id, email address, webhook id or URL
    target              varchar(1000) not null,
    -- template key (or webhook id): with event, channel and target it names the message
    message_key         varchar(200)  not null,
    locale              varchar(10),
    payload             text          not null,
    -- deliveries in one lane go one at a time (a Slack channel, the parent updates of one incident)
    lane                varchar(1100),
    -- deliveries of one incident thread go in incident-version order
    thread_key          uuid,
    order_version       bigint        not null default 0,
    priority            smallint      not null default 1,
    -- a reply or parent update waits until this delivery (the parent message) is sent
    blocked_by          uuid          references delivery (id) on delete set null,
    state               varchar(20)   not null,
    attempts            int           not null default 0,
    due_at              timestamptz   not null,
    sending_since       timestamptz,
    -- a previous attempt may have reached the provider: check before sending again
    unknown_outcome     boolean       not null default false,
    last_error          text,
    provider_message_id varchar(500),
    provider_channel    varchar(200),
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    sent_at             timestamptz,
    constraint delivery_state_check check (state in ('pending', 'sending', 'sent', 'dead', 'skipped', 'cancelled')),
    constraint delivery_once unique (event_id, channel, target, message_key)
);

create index delivery_due on delivery (due_at) where state = 'pending';
create index delivery_lane_open on delivery (lane, state) where state in ('pending', 'sending');
create index delivery_thread_open on delivery (thread_key, order_version) where state in ('pending', 'sending');
create index delivery_sending on delivery (sending_since) where state = 'sending';
create index delivery_incident on delivery (incident_id);
create index delivery_event on delivery (event_id);
create index delivery_blocked_by on delivery (blocked_by);
create index delivery_created on delivery (created_at desc, seq desc);
create index delivery_state_created on delivery (state, created_at desc);

-- Every attempt, for the delivery log.
create table delivery_attempt (
    id                  bigserial     primary key,
    delivery_id         uuid          not null references delivery (id) on delete cascade,
    attempt             int           not null,
    started_at          timestamptz   not null,
    finished_at         timestamptz   not null,
    -- sent, retry, rate_limited, failed, recovered
    outcome             varchar(20)   not null,
    error               text,
    provider_message_id varchar(500)
);

create index delivery_attempt_delivery on delivery_attempt (delivery_id, attempt);

-- Pacing and one-at-a-time per lane; the row is locked while a worker claims work in the lane.
create table delivery_lane (
    lane    varchar(1100) primary key,
    next_at timestamptz   not null
);

-- The Slack thread of each incident and what notify-service last knew about the incident.
create table incident_thread (
    incident_id             uuid          primary key,
    number                  bigint,
    title                   varchar(500),
    -- where the parent goes, as configured (#svc-news-api); channel_id is what Slack answered
    channel                 varchar(200)  not null,
    channel_id              varchar(100),
    ts                      varchar(50),
    permalink               varchar(1000),
    parent_delivery_id      uuid          references delivery (id) on delete set null,
    -- incident version shown in the parent message, and the newest version seen
    parent_version          bigint        not null default 0,
    latest_version          bigint        not null default 0,
    commander_name          varchar(200),
    commander_slack_user_id varchar(50),
    created_at              timestamptz   not null,
    updated_at              timestamptz   not null
);

-- Admins' edits of the shipped templates. No row: the default from the jar is used.
create table template_override (
    template_key varchar(100) not null,
    locale       varchar(10)  not null,
    source       text         not null,
    updated_at   timestamptz  not null,
    updated_by   varchar(200),
    primary key (template_key, locale)
);

create table webhook (
    id          uuid          primary key,
    name        varchar(100)  not null,
    url         varchar(2000) not null,
    secret      varchar(200)  not null,
    -- comma-separated patterns: toban.incident.*, toban.postmortem.#, or an exact type
    event_types varchar(2000) not null,
    enabled     boolean       not null,
    created_at  timestamptz   not null,
    updated_at  timestamptz   not null,
    version     bigint        not null default 0
);

create unique index webhook_name_unique on webhook (lower(name));

-- One row per occurrence of a recurring reminder: whichever replica inserts it posts it.
create table reminder_occurrence (
    reminder    varchar(100) not null,
    occurrence  timestamptz  not null,
    fired_at    timestamptz  not null,
    primary key (reminder, occurrence)
);
