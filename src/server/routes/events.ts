/** `GET /v1/events`: the tenant's audit log, newest first, keyset-paginated (admin:users). */
import { EVENT_ACTIONS } from "../../wire/mod.ts";
import type { AuthedCall } from "../call.ts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { invalid, jsonResponse } from "../problem.ts";
import { onlyParams, parseLimit, singleParam } from "../query_params.ts";
import { parseRfc3339 } from "../rfc3339.ts";
import { wireEvent } from "../wire.ts";

const LIST_PARAMS = ["since", "until", "action", "actor", "target", "limit", "cursor"];

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
