-- Shared by every service (toban-plumbing): the transactional outbox and the idempotent inbox.
-- Versions 0.x may arrive after a service's own migrations, hence flyway out-of-order.

create table outbox_event (
    seq          bigserial    primary key,
    id           uuid         not null unique,
    type         varchar(200) not null,
    subject      varchar(200),
    exchange     varchar(200) not null,
    envelope     text         not null,
    created_at   timestamptz  not null,
    published_at timestamptz
);

-- the relay only ever scans unpublished rows
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;
create index outbox_event_published_at on outbox_event (published_at) where published_at is not null;

create table inbox_event (
    consumer     varchar(100) not null,
    event_id     varchar(200) not null,
    type         varchar(200),
    processed_at timestamptz  not null default now(),
    primary key (consumer, event_id)
);

create index inbox_event_processed_at on inbox_event (processed_at);
