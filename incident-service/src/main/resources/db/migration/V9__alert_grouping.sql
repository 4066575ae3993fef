-- Alert grouping (issue 19): per service, alerts join an open incident instead of opening their own.
--   off     : every dedup key opens its own incident (as before)
--   time    : alerts within grouping_window_minutes of the incident's first alert join it
--   content : alerts whose rendered grouping_template matches an open incident's group_key join it
alter table technical_service
    add column grouping_rule           varchar(10)  not null default 'off'
        check (grouping_rule in ('off', 'time', 'content')),
    add column grouping_window_minutes integer      check (grouping_window_minutes between 1 and 1440),
    add column grouping_template       varchar(500),
    -- when every grouped alert has resolved: resolve the incident (true) or only tell the IC (false)
    add column grouping_auto_resolve   boolean      not null default false;

-- The key alerts join on: the rendered template (content) or 'time' while the window is open.
alter table incident add column group_key varchar(1024);
-- One open incident per service and group key: concurrent first alerts race on this index, and a
-- grouped alert finds its incident with one indexed read.
create unique index incident_open_group on incident (service_id, group_key)
    where group_key is not null and state in ('triggered', 'acknowledged', 'mitigated');

-- grouped: the alert joined an incident another alert opened (no page, no thread of its own).
-- rolled_up_at: when a Slack roll-up ("+37 alerts") counted it.
alter table alert
    add column grouped      boolean     not null default false,
    add column rolled_up_at timestamptz;
create index alert_rollup_pending on alert (incident_id) where grouped and rolled_up_at is null;

-- "This incident has grouped alerts not yet rolled up": written (insert ... on conflict do nothing, no
-- lock on the hot path) by the first grouped alert after a roll-up, due a minute later; claimed with
-- FOR UPDATE SKIP LOCKED, so two replicas post one roll-up, at most one a minute per incident.
create table alert_rollup (
    incident_id uuid        primary key references incident (id),
    due_at      timestamptz not null
);
create index alert_rollup_due on alert_rollup (due_at);
