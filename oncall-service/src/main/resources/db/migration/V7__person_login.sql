-- Issue 17, one identity: people are linked to the users of the Keycloak realm (directory sync and
-- first sign-in). roles mirrors the user's Toban realm roles; login_state says whether the linked
-- user is active, disabled or gone (null: none linked, or not seen yet); inactive_since marks a
-- person whose login went away while teams, rotations or policies still named them (so the sync
-- could not archive them).
alter table person add column roles text[] not null default '{}';
alter table person add column login_state varchar(20)
    constraint person_login_state check (login_state in ('active', 'disabled', 'deleted'));
alter table person add column inactive_since timestamptz;
alter table person add column login_synced_at timestamptz;
