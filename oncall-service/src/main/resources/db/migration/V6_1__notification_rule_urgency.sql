-- A notification rule is for high-urgency pages, low-urgency pages or both ("any"), as PagerDuty's
-- notification rules are. Existing rules keep applying to every page.
alter table notification_rule add column urgency varchar(8) not null default 'any'
    constraint notification_rule_urgency check (urgency in ('any', 'high', 'low'));
