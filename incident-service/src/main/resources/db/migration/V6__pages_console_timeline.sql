-- Issue 16: the IC console, the timeline of pages and deliveries, postmortem decisions, SOS idempotency.

-- oncall-service's default war-room link of a team (toban.oncall.team.* warRoomUrl; optional).
alter table team add column war_room_url varchar(2000);

-- The escalation level last paged (level 1 when the IC was found), for "escalate now" and "re-page".
alter table incident add column page_level integer;
alter table incident add column page_repeat integer;

-- postmortem-service's decision about the incident's postmortem (toban.postmortem.* snapshots).
alter table incident add column postmortem_id uuid;
alter table incident add column postmortem_state varchar(30);
alter table incident add column postmortem_decision varchar(10);
alter table incident add column postmortem_decided_at timestamptz;
alter table incident add column postmortem_version bigint;

-- The SOS form's one-time token: submitting the same form twice opens one incident.
alter table incident add column sos_token varchar(64);
create unique index incident_sos_token on incident (sos_token) where sos_token is not null;

-- "Mine": incidents where someone is IC or a responder.
create index incident_commander on incident (commander_id) where commander_id is not null;
create index incident_responder_person on incident_responder (person_id);
