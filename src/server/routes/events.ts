/** `GET /v1/events`: the tenant's audit log, newest first, keyset-paginated (admin:users). */
import { EVENT_ACTIONS } from "../../wire/mod.ts";
import type { AuthedCall } from "../call.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { invalid, jsonResponse } from "../problem.ts";
import { z } from "zod";
import { DEFAULT_LIMIT, MAX_LIMIT, onlyParams, parseLimit, singleParam } from "../query_params.ts";
import type { Parameter } from "../spec/endpoint.ts";
import { parseRfc3339 } from "../rfc3339.ts";
import { wireEvent } from "../wire.ts";

/** The query parameters of `GET /v1/events`, as the route table declares them. */
export const EVENTS_QUERY: Readonly<Record<string, Parameter>> = {
  since: {
    description: "Only events at or after this RFC 3339 time",
    schema: z.string(),
    example: "2026-12-01T00:00:00Z",
  },
  until: { description: "Only events before this RFC 3339 time", schema: z.string() },
  action: { description: "Only this action", schema: z.enum(EVENT_ACTIONS), example: "user.deactivated" },
  actor: {
    description: "Only events by this user (usr_...) or credential (key_..., ses_...)",
    schema: z.string(),
  },
  target: { description: "Only events about this user, key or tenant", schema: z.string() },
  limit: {
    description: `Page size, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
    schema: z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
    example: 50,
  },
  cursor: { description: "The `next_cursor` of the previous page (same filters)", schema: z.string() },
};
const LIST_PARAMS = Object.keys(EVENTS_QUERY);

// A time bound, normalised to the stored form (UTC, milliseconds) so it compares as text.
function parseTime(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = parseRfc3339(value);
  if (time === undefined) {
    throw invalid(
      `Invalid "${name}" ${JSON.stringify(value)}: expected an RFC 3339 time such as 2030-01-31T00:00:00Z`,
    );
  }
  return time.toISOString();
}

function parseAction(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!(EVENT_ACTIONS as readonly string[]).includes(value)) {
    throw invalid(
      `Invalid "action" ${JSON.stringify(value)}: expected one of ${
        EVENT_ACTIONS.map((a) => `"${a}"`).join(", ")
      }`,
    );
  }
  return value;
}

function parseId(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[\x21-\x7e]{1,255}$/.test(value)) {
    throw invalid(`Invalid "${name}" ${JSON.stringify(value)}: expected an id such as usr_... or key_...`);
  }
  return value;
}

/**
 * `GET /v1/events?since=&until=&action=&actor=&target=&limit=&cursor=`: one page of the caller's tenant's
 * events, newest first. `since` is inclusive, `until` exclusive; `actor` is a user or a credential id.
 */
export async function listEvents({ url, env, principal }: AuthedCall): Promise<Response> {
  const params = url.searchParams;
  onlyParams(params, LIST_PARAMS);
  const filters = {
    since: parseTime("since", singleParam(params, "since")),
    until: parseTime("until", singleParam(params, "until")),
    action: parseAction(singleParam(params, "action")),
    actor: parseId("actor", singleParam(params, "actor")),
    target: parseId("target", singleParam(params, "target")),
  };
  const limit = parseLimit(singleParam(params, "limit"));
  const scope = {
    tenantId: principal.tenantId,
    status: undefined,
    role: undefined,
    listing: `events\n${JSON.stringify(filters)}`,
  };
  const cursor = singleParam(params, "cursor");
  const afterSeq = cursor === undefined ? 0 : decodeCursor(env.cursorSecret, scope, cursor);
  const page = await env.store.listEvents({ tenantId: principal.tenantId, ...filters, afterSeq, limit });
  const last = page.events.at(-1);
  return jsonResponse(200, {
    data: page.events.map(wireEvent),
    next_cursor: page.more && last ? encodeCursor(env.cursorSecret, scope, last.seq) : null,
  });
}
