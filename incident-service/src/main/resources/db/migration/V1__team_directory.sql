-- Teams as oncall-service announces them (toban.oncall.team.*): the catalog names owning teams
-- and incidents show them without a call to oncall-service.
create table team (
    id            uuid         primary key,
    name          varchar(100) not null,
    slack_channel varchar(100),
    time_zone     varchar(64)  not null,
    source_version bigint      not null,
    updated_at    timestamptz  not null
);
