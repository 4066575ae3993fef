-- Issue 17: the Slack app.

-- A person's realm roles as oncall-service mirrors them from Keycloak (toban.oncall.person.* `roles`, or `role`),
-- expanded (admin includes responder, responder viewer) and comma-separated: who may act from Slack. Null until
-- oncall-service announces them; such a person is not treated as a responder.
alter table person add column roles varchar(100);

-- oncall-service's archive mark of a person (toban.oncall.person.* `archived`/`archivedAt`): an archived person
-- no longer acts from Slack.
alter table person add column archived_at timestamptz;

-- A Slack user without a stored Slack user id is matched by the email Slack gives for them (users.info).
create index person_email on person (lower(email));
