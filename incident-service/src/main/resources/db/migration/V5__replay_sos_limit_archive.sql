-- Signed requests already answered (Slack's /sos and later its interactivity): a request is accepted
-- once while its signature is fresh. The primary key makes a replay lose the race on every replica;
-- rows are purged once their window has passed (ReplayGuard).
create table signed_request (
    source      varchar(30)  not null,
    request_ts  bigint       not null,
    signature   varchar(200) not null,
    received_at timestamptz  not null,
    expires_at  timestamptz  not null,
    primary key (source, request_ts, signature)
);
create index signed_request_expires on signed_request (expires_at);

-- One row per SOS, to limit SOS per reporter across replicas (SosLimiter); purged after the window.
create table sos_report (
    id          uuid         primary key,
    reporter    varchar(300) not null,
    reported_at timestamptz  not null,
    incident_id uuid
);
create index sos_report_reporter on sos_report (reporter, reported_at);
create index sos_report_time on sos_report (reported_at);

-- Archived services stay readable by id (history refers to them) but take no new incidents.
alter table technical_service add column archived_at timestamptz;
alter table technical_service add column archived_by varchar(100);
create index technical_service_owning_team on technical_service (owning_team_id);
create index technical_service_policy on technical_service (escalation_policy_id);

-- oncall-service's archivedAt of a team (toban.oncall.team.* events): archived teams are no new references.
alter table team add column archived_at timestamptz;
