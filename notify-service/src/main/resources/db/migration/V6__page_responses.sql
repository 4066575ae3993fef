-- A paged person's answers (acknowledge, escalate), from whichever channel they came (the email's signed
-- link, a push action, an SMS reply, a voice keypress). One row per delivery and action: a replayed link,
-- SMS or keypress finds the row and changes nothing. Deleted with the delivery (retention).
create table page_response (
    id           uuid         primary key,
    delivery_id  uuid         not null references delivery (id) on delete cascade,
    incident_id  uuid         not null,
    action       varchar(20)  not null,
    -- the channel the person answered through: sms, voice, push, email, link, ...
    channel      varchar(20)  not null,
    -- the toban.notify.page.responded event written for it
    event_id     uuid         not null,
    responded_at timestamptz  not null,
    constraint page_response_action_check check (action in ('acknowledge', 'escalate')),
    constraint page_response_once unique (delivery_id, action)
);

create index page_response_incident on page_response (incident_id);
