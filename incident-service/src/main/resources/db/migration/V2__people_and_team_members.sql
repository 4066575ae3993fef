-- People as oncall-service announces them (toban.oncall.person.*): incident events carry PersonRef
-- and actors resolve to people without a call to oncall-service. source_version -1 marks a person
-- first learnt from an escalation-targets answer; any announcement replaces it.
create table person (
    id             uuid         primary key,
    name           varchar(200) not null,
    username       varchar(100),
    email          varchar(320),
    slack_user_id  varchar(50),
    time_zone      varchar(64),
    locale         varchar(16),
    source_version bigint       not null,
    updated_at     timestamptz  not null
);
create index person_username on person (lower(username));
create index person_slack_user on person (slack_user_id);

-- memberIds of toban.oncall.team.*; decides whether a responder belongs to the owning team.
create table team_member (
    team_id   uuid not null references team (id) on delete cascade,
    person_id uuid not null,
    primary key (team_id, person_id)
);
create index team_member_person on team_member (person_id);
