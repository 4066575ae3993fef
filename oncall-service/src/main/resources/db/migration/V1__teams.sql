create table team (
    id            uuid         primary key,
    name          varchar(100) not null,
    slack_channel varchar(100),
    time_zone     varchar(64)  not null,
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null,
    version       bigint       not null default 0
);

create unique index team_name_unique on team (lower(name));
