-- Person webhooks are called by notify-service: one a non-admin adds or points elsewhere waits for an
-- admin's approval (issue 15). Webhooks saved before this rule were never checked, so they start
-- unapproved; every other contact method is approved by nature.
alter table contact_method add column approved boolean;
update contact_method set approved = (type <> 'webhook');
alter table contact_method alter column approved set not null;
alter table contact_method add column approved_by varchar(100);
alter table contact_method add column approved_at timestamptz;

-- Archive instead of delete: history (overrides, cover requests, incidents in other services) keeps
-- referring to what it named. Archived rows leave the lists and can no longer be chosen as a reference.
alter table team add column archived_at timestamptz, add column archived_by varchar(100);
alter table person add column archived_at timestamptz, add column archived_by varchar(100);
alter table schedule add column archived_at timestamptz, add column archived_by varchar(100);
alter table escalation_policy add column archived_at timestamptz, add column archived_by varchar(100);

-- one live schedule per team and role: an archived one no longer holds the role
drop index schedule_team_role_unique;
create unique index schedule_team_role_unique on schedule (team_id, lower(role)) where archived_at is null;
