-- Benchmark data for bench/oncall.sh, loaded into toban_oncall_bench after Flyway created the schema:
-- 3,000 people, 250 teams, 1,000 schedules of 3 layers (weekly with 1 or 2 slots; weekday office
-- hours; 8-hour weekend shifts) in four time zones, 250 escalation policies, and a year of
-- overrides (52 per schedule, from half a year ago to half a year ahead: 52,000 rows).
\set ON_ERROR_STOP on
begin;
truncate schedule_override, cover_request, layer_restriction, layer_participant, schedule_layer, schedule,
         team_member, team, contact_method, notification_rule, escalation_target, escalation_level,
         escalation_policy, open_shift, shift_notice, ical_token, outbox_event, person cascade;

insert into person (id, name, username, email, slack_user_id, time_zone, locale, created_at, updated_at, version)
select md5('person' || i)::uuid, 'Bench Person ' || i, 'bench' || i, 'bench' || i || '@toban.example',
       'U' || lpad(i::text, 8, '0'), 'Asia/Tokyo', case when i % 2 = 0 then 'ja' else 'en' end, now(), now(), 0
from generate_series(1, 3000) i;

insert into team (id, name, slack_channel, time_zone, created_at, updated_at, version)
select md5('team' || t)::uuid, 'Bench Team ' || t, '#bench-' || t, 'Asia/Tokyo', now(), now(), 0
from generate_series(1, 250) t;

insert into team_member (team_id, position, person_id)
select md5('team' || t)::uuid, m - 1, md5('person' || ((t * 12 + m) % 3000 + 1))::uuid
from generate_series(1, 250) t, generate_series(1, 12) m;

insert into schedule (id, team_id, name, role, time_zone, created_at, updated_at, version)
select md5('schedule' || s)::uuid, md5('team' || ((s - 1) / 4 + 1))::uuid, 'Bench ' || s, 'role' || ((s - 1) % 4),
       (array['Asia/Tokyo', 'Europe/Berlin', 'America/New_York', 'UTC'])[(s % 4) + 1], now(), now(), 0
from generate_series(1, 1000) s;

insert into schedule_layer (id, schedule_id, position, name, level, slots, shift_amount, shift_unit, handoff_time, start_date)
select md5('layer' || s || '-' || l)::uuid, md5('schedule' || s)::uuid, l - 1,
       (array['Weekly', 'Office hours', 'Weekend'])[l], l,
       case when l = 1 and s % 3 = 0 then 2 else 1 end,
       case l when 1 then 1 when 2 then 1 else 8 end,
       case l when 1 then 'WEEKS' when 2 then 'DAYS' else 'HOURS' end,
       case l when 3 then time '09:00' else time '10:00' end,
       date '2024-01-01' + (s % 7)
from generate_series(1, 1000) s, generate_series(1, 3) l;

insert into layer_participant (layer_id, position, person_id)
select md5('layer' || s || '-' || l)::uuid, p - 1, md5('person' || ((s * 7 + l * 13 + p * 31) % 3000 + 1))::uuid
from generate_series(1, 1000) s, generate_series(1, 3) l, generate_series(1, 4) p
where p <= case l when 1 then 4 when 2 then 3 else 2 end;

insert into layer_restriction (layer_id, position, days_of_week, start_time, end_time)
select md5('layer' || s || '-2')::uuid, 0, 'MONDAY,TUESDAY,WEDNESDAY,THURSDAY,FRIDAY', time '10:00', time '19:00'
from generate_series(1, 1000) s
union all
select md5('layer' || s || '-3')::uuid, 0, 'SATURDAY,SUNDAY', time '09:00', time '21:00'
from generate_series(1, 1000) s;

-- one override a week per schedule, 2 to 23 hours long; every third takes the whole schedule
insert into schedule_override (id, schedule_id, person_id, replaces_person_id, start_at, end_at, created_by, created_at)
select md5('override' || s || '-' || w)::uuid, md5('schedule' || s)::uuid,
       md5('person' || ((s * 17 + w * 3) % 3000 + 1))::uuid,
       case when w % 3 = 0 then null
            else md5('person' || ((s * 7 + 13 + ((s + w) % 4 + 1) * 31) % 3000 + 1))::uuid end,
       x.st, x.st + make_interval(hours => 2 + (s + w) % 22), 'bench', now()
from generate_series(1, 1000) s, generate_series(0, 51) w,
     lateral (select date_trunc('hour', now()) - interval '182 days'
                     + make_interval(days => w * 7, hours => (s * 13 + w * 5) % 120) as st) x;

insert into escalation_policy (id, name, repeat_count, created_at, updated_at, version)
select md5('policy' || t)::uuid, 'Bench policy ' || t, 1, now(), now(), 0 from generate_series(1, 250) t;
insert into escalation_level (policy_id, position, delay_minutes)
select md5('policy' || t)::uuid, l - 1, 15 from generate_series(1, 250) t, generate_series(1, 2) l;
insert into escalation_target (policy_id, position, level, target_type, target_id)
select md5('policy' || t)::uuid, 0, 1, 'schedule', md5('schedule' || ((t - 1) * 4 + 1))::uuid from generate_series(1, 250) t
union all
select md5('policy' || t)::uuid, 1, 2, 'person', md5('person' || t)::uuid from generate_series(1, 250) t;

-- every instance reloads its snapshot
update config_version set version = version + 1 where id = 1;
commit;
analyze;
