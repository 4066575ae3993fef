-- The team's standing war room (a Gather or Meet link): where its incidents gather by default (issue 16).
alter table team add column war_room_url varchar(500);
