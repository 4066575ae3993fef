-- Issue 17: the Slack sandbox (notify-service emulates the Slack Web API for the demo and the tests when
-- no real bot token is set; docs/operations.md). Its workspace lives here so every replica and every
-- restart sees the same channels, messages and open modals. Never used with a real Slack.

-- Channels (C…, created on the first post to a name) and DMs (D…, one per user).
create table sandbox_channel (
    id          varchar(40)  primary key,
    -- without the '#'; null for a DM
    name        varchar(100) unique,
    -- the user a DM is with (the other side is Toban's bot)
    dm_user_id  varchar(100) unique,
    created_at  timestamptz  not null
);

create sequence sandbox_ts_seq;

-- Messages and thread replies, as Slack keeps them; ephemeral ones name the only user who sees them.
create table sandbox_message (
    seq           bigint       primary key,
    channel_id    varchar(40)  not null references sandbox_channel (id),
    ts            varchar(40)  not null,
    thread_ts     varchar(40),
    user_id       varchar(100) not null,
    text          text,
    -- Block Kit blocks and message metadata, as JSON
    blocks        text,
    metadata      text,
    ephemeral_for varchar(100),
    edited_at     timestamptz,
    created_at    timestamptz  not null,
    unique (channel_id, ts)
);

create index sandbox_message_thread on sandbox_message (channel_id, thread_ts, seq);

-- The people who acted in the sandbox, as its users.info and users.lookupByEmail answer them.
create table sandbox_user (
    id          varchar(100) primary key,
    username    varchar(200) not null unique,
    name        varchar(200),
    email       varchar(320),
    person_id   uuid,
    time_zone   varchar(100),
    updated_at  timestamptz  not null
);

-- trigger_ids handed out with interactions and slash commands: views.open takes each once, while fresh.
create table sandbox_trigger (
    id          varchar(80)  primary key,
    user_id     varchar(100) not null,
    channel_id  varchar(40),
    used        boolean      not null default false,
    created_at  timestamptz  not null
);

-- Modals (views.open / views.push / views.update); open ones show on the user's page as a dialog.
create table sandbox_view (
    id              varchar(40)  primary key,
    user_id         varchar(100) not null,
    channel_id      varchar(40),
    external_id     varchar(255) unique,
    -- the view as the app sent it, plus what the user typed (state) and the app's errors for it (JSON)
    view            text         not null,
    state_values    text,
    errors          text,
    hash            varchar(60)  not null,
    previous_view_id varchar(40),
    open            boolean      not null,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);

create index sandbox_view_open on sandbox_view (user_id, created_at) where open;

-- response_urls handed out: where an answer to them goes (Slack allows 5 uses in 30 minutes).
create table sandbox_response (
    id          uuid         primary key,
    user_id     varchar(100) not null,
    channel_id  varchar(40),
    thread_ts   varchar(40),
    message_ts  varchar(40),
    uses        int          not null default 0,
    created_at  timestamptz  not null
);

-- Facts about the workspace itself, e.g. that the current on-call people were welcomed with their
-- handoff notice (SandboxWelcome), so it happens once whatever the replicas and restarts.
create table sandbox_state (
    key         varchar(100) primary key,
    value       text,
    updated_at  timestamptz  not null
);
