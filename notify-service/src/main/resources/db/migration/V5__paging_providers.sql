-- Issue 18: SMS, voice and push. What the provider last reported about a message or call (Twilio's
-- status callbacks: queued, sent, delivered, undelivered, failed; ringing, in-progress, completed, busy,
-- no-answer, canceled). provider_channel names the provider that sent it (twilio, http, ntfy).
alter table delivery add column provider_status varchar(40);
alter table delivery add column provider_status_at timestamptz;

-- GoAlert-style reply codes: each page SMS to a number carries a short code ("reply '3 ack'"); the code
-- maps to the delivery and only counts from that number. Codes rotate 1..99 per number.
create table sms_reply_code (
    phone       varchar(20) not null,
    code        int         not null,
    delivery_id uuid        not null,
    created_at  timestamptz not null,
    primary key (phone, code)
);

create table sms_code_counter (
    phone varchar(20) primary key,
    last  int         not null
);

-- the rate limit counts what went to one number or topic lately
create index delivery_recent_target on delivery (channel, target, sent_at) where sent_at is not null;
-- the next page step of a person for one page ("provider down: next method now")
create index delivery_page_steps on delivery (event_id, message_key) where state = 'pending';
