-- Issue 17: the parent message of an incident thread always shows the current state. What it shows
-- besides the newest snapshot (the last status update, the postmortem decision) is kept here, so any
-- event (an incident's or a postmortem's) can render the parent again.
alter table incident_thread add column snapshot text;
alter table incident_thread add column snapshot_version bigint not null default 0;
alter table incident_thread add column last_update_message text;
alter table incident_thread add column last_update_at timestamptz;
alter table incident_thread add column last_update_by varchar(200);
alter table incident_thread add column last_update_version bigint not null default 0;
alter table incident_thread add column postmortem_decision varchar(20);
alter table incident_thread add column postmortem_version bigint;
-- every rendering of the parent gets the next revision; the newest one sent is what Slack shows, and a
-- pending chat.update with an older revision is skipped (several events in a burst become one update)
alter table incident_thread add column parent_revision bigint not null default 0;
alter table incident_thread add column shown_revision bigint not null default 0;
-- incident titles may have 1,024 characters (incident-service's limit): a longer title than the old
-- varchar(500) made the thread row, and so the whole event, fail
alter table incident_thread alter column title type text;
