-- The person a delivery is for (issue 16: the delivery log names people, and delivery outcomes tell
-- incident-service whom a page reached). A PersonRef as JSON, from the event that caused the delivery;
-- null for posts to channels and configured webhooks, and for deliveries recorded before this column.
alter table delivery add column recipient text;
