import { z } from "zod";
import { EventsApi } from "../../api/events.ts";
import { type AuditEvent, EVENT_ACTIONS } from "../../api/types.ts";
import { defineTool, type McpTool } from "../tool.ts";

/** Events per call when the agent does not say. */
export const DEFAULT_LIMIT = 50;
/** Most events one call returns. */
export const MAX_LIMIT = 500;

const time = z.iso.datetime({ offset: true });

const eventSchema = z.strictObject({
  id: z.string().describe("Event identifier, such as evt_abc123"),
  time: z.string().describe("When it happened (ISO 8601); failed logins: the start of their minute"),
  tenant_id: z.string(),
  action: z.string().describe(`What happened: ${EVENT_ACTIONS.join(", ")}`),
  actor_user_id: z.string().nullable().describe(
    "The user who did it; null for the operator or an unknown caller",
  ),
  actor_credential_id: z.string().nullable().describe(
    "The API key (key_...), session (ses_...) or invitation used",
  ),
  target: z.string().nullable().describe("The user, key or tenant acted on"),
  request_id: z.string().nullable().describe("The request's X-Request-Id"),
  client_address: z.string().nullable().describe("The client's address"),
  count: z.int().describe("How many occurrences the event stands for (failed logins are counted per minute)"),
  details: z.record(z.string(), z.unknown()).nullable().describe(
    "More facts, such as a key's name and scopes",
  ),
});

function eventLine(e: AuditEvent): string {
  const actor = e.actor_user_id ?? e.actor_credential_id ?? "operator";
  const times = e.count > 1 ? ` x${e.count}` : "";
  return `- ${e.time} ${e.action}${times} by ${actor}${e.target ? ` on ${e.target}` : ""}` +
    (e.client_address ? ` from ${e.client_address}` : "");
}

/** `events_list`: one page of the tenant's audit log, newest first (read-only). */
export const eventsList: McpTool = defineTool({
  name: "events_list",
  title: "List audit events",
  description: "Lists the tenant's audit log, newest first: who invited, deactivated or changed users, " +
    "created or revoked API keys, and failed logins (counted per address and minute). Returns at most " +
    `\`limit\` events (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}) and next_cursor for older ones. ` +
    "Filters by time (since inclusive, until exclusive), action, actor (a user or credential id) and " +
    "target. Needs the admin:users scope.",
  input: z.strictObject({
    since: time.optional().describe("Only events at or after this time, such as 2030-01-31T00:00:00Z"),
    until: time.optional().describe("Only events before this time"),
    action: z.enum(EVENT_ACTIONS).optional().describe("Only this action"),
    actor: z.string().min(1).optional().describe(
      "Only events by this user (usr_...) or credential (key_...)",
    ),
    target: z.string().min(1).optional().describe("Only events about this user, key or tenant id"),
    limit: z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT).describe("Most events to return"),
    cursor: z.string().min(1).optional().describe("next_cursor of the previous page, with the same filters"),
  }),
  output: z.strictObject({
    events: z.array(eventSchema),
    next_cursor: z.string().nullable().describe("Pass as cursor for older events; null on the last page"),
  }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async run({ limit, cursor, ...filters }, session) {
    const page = await new EventsApi(session.client).page(filters, limit, cursor);
    const more = page.next_cursor === null
      ? "No older events."
      : `Older events: call events_list with cursor "${page.next_cursor}".`;
    const count = `${page.data.length} event${page.data.length === 1 ? "" : "s"}`;
    return {
      structured: { events: page.data, next_cursor: page.next_cursor },
      text: [count + (page.data.length > 0 ? ":" : "."), ...page.data.map(eventLine), more].join("\n"),
    };
  },
});
