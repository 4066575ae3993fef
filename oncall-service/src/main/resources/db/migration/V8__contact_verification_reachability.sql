-- Issue 18, paging that wakes people. Phones (sms, voice) and push (an ntfy/UnifiedPush topic URL) join
-- slack, email and webhook.
alter table contact_method drop constraint if exists contact_method_type_check;
alter table contact_method add constraint contact_method_type
    check (type in ('slack', 'email', 'sms', 'voice', 'push', 'webhook'));

-- A method is verified before notify-service pages through it. Methods saved before this rule were in
-- use, so they count as verified; a webhook's verification is its admin approval.
alter table contact_method add column verified boolean;
update contact_method set verified = approved;
alter table contact_method alter column verified set not null;
alter table contact_method add column verified_at timestamptz;
update contact_method set verified_at = coalesce(approved_at, now()) where verified;

-- The pending code of a method: only its hash, the address it was sent to (a new address voids it),
-- its expiry and the wrong tries so far. Keyed by the method's id (contact_method rows are rewritten
-- by position on every save, so no foreign key to them).
create table contact_verification (
    contact_method_id uuid        primary key,
    person_id         uuid        not null references person (id) on delete cascade,
    address           varchar(500) not null,
    code_hash         varchar(64) not null,
    expires_at        timestamptz not null,
    attempts          int         not null default 0,
    created_at        timestamptz not null
);

-- Codes and test pages asked for, per method: their rate limits count these rows.
create table contact_method_request (
    id                bigserial   primary key,
    contact_method_id uuid        not null,
    kind              varchar(10) not null check (kind in ('code', 'test')),
    requested_at      timestamptz not null
);
create index contact_method_request_recent on contact_method_request (contact_method_id, kind, requested_at);

-- People flagged as unreachable (on call within 7 days without a verified waking method) whom
-- toban.oncall.reachability.flagged was sent to; the row goes when they become reachable or leave the
-- window, so a later flag is sent again.
create table reachability_flag (
    person_id  uuid        primary key references person (id) on delete cascade,
    flagged_at timestamptz not null
);
