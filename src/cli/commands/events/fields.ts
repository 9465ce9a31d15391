/** The fields `phyware events list` prints. */

/** What `events list` prints by default. */
export const EVENT_FIELDS = [
  "time",
  "action",
  "actor_user_id",
  "actor_credential_id",
  "target",
  "client_address",
] as const;

/** Every field of an event. */
export const EVENT_DETAIL_FIELDS = [
  "id",
  ...EVENT_FIELDS,
  "count",
  "request_id",
  "tenant_id",
  "details",
] as const;

/** One field of an event. */
export type EventField = typeof EVENT_DETAIL_FIELDS[number];
