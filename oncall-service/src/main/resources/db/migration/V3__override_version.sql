-- Bumped with every override change, so an instance can keep its rendered "who is on call now"
-- answers until an override or the configuration changes (or the answer's time runs out).
alter table config_version add column override_version bigint not null default 0;
