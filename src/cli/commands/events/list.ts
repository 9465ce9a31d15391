import { type EventFilters, EventsApi } from "../../../api/events.ts";
import { type AuditEvent, EVENT_ACTIONS } from "../../../api/types.ts";
import { parseDuration } from "../../../session/config.ts";
import type { Context, Writer } from "../../../context.ts";
import { ConnectionError, quoted, ServerError, ValidationError } from "../../../errors.ts";
import { createListWriter, type ListWriter, type OutputRecord } from "../../../output/mod.ts";
import { openSession } from "../../../session/mod.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../../../session/options.ts";
import { parseTimeSpan } from "../shared/time_span.ts";
import { parseFieldList } from "../shared/field_list.ts";
import { parseLimit, upToLimit } from "../shared/limit_flag.ts";
import { PAGE_SIZE } from "../../../api/client.ts";
import { EVENT_DETAIL_FIELDS, EVENT_FIELDS, type EventField } from "./fields.ts";
import { INTERVAL_FLAG } from "./flags.ts";

/** The shortest --interval. */
export const MIN_POLL_MS = 100;
/**
 * How far back each poll of --follow looks before the newest event it printed: events commit in a different
 * order than their times (another server process; failed logins, written in batches at their minute's start).
 */
export const FOLLOW_OVERLAP_MS = 2 * 60_000;

/** Parsed options of `events list`. */
export interface ListEventsOptions {
  globals: GlobalOptions;
  /** How far back to start, in milliseconds; undefined: all kept events (with --follow: only new ones). */
  sinceMs: number | undefined;
  filters: Omit<EventFilters, "since" | "until">;
  limit: number | undefined;
  follow: boolean;
  pollMs: number;
  fields: readonly EventField[];
}

/** Parses the arguments of `events list`. */
export function parseListEventsOptions(
  raw: RawGlobalOptions & {
    since?: string;
    action?: string;
    actor?: string;
    target?: string;
    limit?: string;
    follow?: true;
    interval?: string;
    fields?: string;
  },
): ListEventsOptions {
  const globals = parseGlobalOptions(raw);
  if (raw.action !== undefined && !(EVENT_ACTIONS as readonly string[]).includes(raw.action)) {
    throw new ValidationError(`Invalid --action ${quoted(raw.action)}`, {
      remediation: `Valid actions: ${EVENT_ACTIONS.join(", ")}`,
    });
  }
  const limit = parseLimit(raw.limit);
  const follow = raw.follow === true;
  if (follow && globals.output === "json") {
    throw new ValidationError('Invalid --output "json" with --follow: a JSON array never ends', {
      remediation: "Use -o ndjson with --follow: one JSON object a line",
    });
  }
  if (follow && limit !== undefined) {
    throw new ValidationError("Invalid --limit with --follow: follow never stops");
  }
  return {
    globals,
    sinceMs: raw.since === undefined ? undefined : parseTimeSpan(raw.since, "--since"),
    filters: { action: raw.action, actor: raw.actor, target: raw.target },
    limit,
    follow,
    pollMs: parsePollInterval(raw.interval),
    // -o id prints each event's id, which the default fields leave out.
    // (parseFieldList refuses --fields with -o id.)
    fields: globals.output === "id" && raw.fields === undefined
      ? ["id"]
      : parseFieldList(raw.fields, EVENT_FIELDS, EVENT_DETAIL_FIELDS, globals.output),
  };
}

// A poll every few milliseconds would spin against the service: 100 ms is the least --follow waits.
function parsePollInterval(raw: string = INTERVAL_FLAG.default): number {
  const ms = parseDuration(raw, "--interval");
  if (ms < MIN_POLL_MS) {
    throw new ValidationError(`Invalid --interval ${quoted(raw)}: must be at least 100ms`);
  }
  return ms;
}

/** The chosen fields of an event; count as text, details as its JSON. */
export function pickEventFields(event: AuditEvent, fields: readonly EventField[]): OutputRecord {
  const record: Record<string, string | null> = {};
  for (const field of fields) {
    const value = event[field];
    record[field] = value === null ? null : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return record;
}

// --follow's table: a header once, then each event on its line as it comes, columns padded to the widths
// their values usually take (a list that never ends cannot be measured first).
const FOLLOW_WIDTHS: Partial<Record<EventField, number>> = {
  time: 24,
  action: 19,
  client_address: 15,
  count: 5,
  tenant_id: 26,
};

function followTable(out: Writer, columns: readonly EventField[]): ListWriter {
  const line = (cells: readonly string[]) =>
    cells.map((text, i) =>
      i === cells.length - 1 ? text : text.padEnd(FOLLOW_WIDTHS[columns[i] ?? "id"] ?? 26)
    )
      .join("  ") + "\n";
  let headed = false;
  return {
    async page(records) {
      let text = headed ? "" : line(columns.map((c) => c.toUpperCase()));
      headed = true;
      for (const r of records) text += line(columns.map((c) => (r[c] ?? "-").replace(/\p{Cc}/gu, " ")));
      await out.write(text);
    },
    end: () => Promise.resolve(),
  };
}

/**
 * Lists the tenant's events newest first, following pages; with --follow, prints the --since window oldest
 * first, then polls and prints new events as they come until interrupted (Ctrl-C).
 */
export async function runListEvents(options: ListEventsOptions, ctx: Context): Promise<void> {
  const session = await openSession(options.globals, ctx);
  const api = new EventsApi(session.client);
  const since = options.sinceMs === undefined
    ? undefined
    : new Date(ctx.now().getTime() - options.sinceMs).toISOString();
  const render = {
    format: options.globals.output,
    color: session.color,
    terminal: ctx.io.stdoutIsTerminal,
    columns: options.fields,
  };
  if (!options.follow) {
    const writer = createListWriter(ctx.io.stdout, render);
    const pages = api.pages({ ...options.filters, since }, Math.min(PAGE_SIZE, options.limit ?? Infinity));
    for await (const page of upToLimit(pages, options.limit)) {
      await writer.page(page.map((event) => pickEventFields(event, options.fields)));
    }
    return await writer.end();
  }
  await follow(api, options, since, ctx);
}

// Every event at or after `since`, oldest first.
async function window(api: EventsApi, filters: EventFilters): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  for await (const page of api.pages(filters, PAGE_SIZE)) events.push(...page);
  return events.reverse();
}

async function follow(api: EventsApi, options: ListEventsOptions, since: string | undefined, ctx: Context) {
  const writer = options.globals.output === "table"
    ? followTable(ctx.io.stdout, options.fields)
    : createListWriter(ctx.io.stdout, {
      format: options.globals.output,
      color: false,
      terminal: ctx.io.stdoutIsTerminal,
      columns: options.fields,
    });
  // Events already printed (or, without --since, already there at the start), by id, with their time.
  const seen = new Map<string, string>();
  let newest: string | undefined;
  const take = async (events: AuditEvent[], print: boolean) => {
    const fresh = events.filter((e) => !seen.has(e.id));
    for (const e of fresh) {
      seen.set(e.id, e.time);
      if (newest === undefined || e.time > newest) newest = e.time;
    }
    if (print && fresh.length > 0) await writer.page(fresh.map((e) => pickEventFields(e, options.fields)));
  };
  if (since !== undefined) await take(await window(api, { ...options.filters, since }), true);
  else {
    // The server's clock decides what is new: start from its newest event, not from ours.
    const latest = (await api.page(options.filters, 1)).data[0];
    if (latest) {
      await take(await window(api, { ...options.filters, since: overlap(latest.time) }), false);
    }
  }
  let failing = false;
  for (;;) {
    await ctx.sleep(options.pollMs);
    const from = newest === undefined ? since : overlap(newest);
    try {
      await take(await window(api, { ...options.filters, since: from }), true);
    } catch (error) {
      // A service restarting or a gateway's 5xx outlasts the client's retries: keep following, said once.
      // Anything else (a revoked key, a refused filter) ends the command with its error.
      if (!(error instanceof ConnectionError || error instanceof ServerError)) throw error;
      if (!failing) {
        await ctx.io.stderr.write(
          `${error.message}; still following, asking again every ${options.pollMs} ms\n`,
        );
      }
      failing = true;
      continue;
    }
    if (failing) await ctx.io.stderr.write("The service answers again; following\n");
    failing = false;
    // Ids older than any future poll's window are forgotten, so memory stays bounded.
    if (from !== undefined) { for (const [id, time] of seen) if (time < from) seen.delete(id); }
  }
}

function overlap(time: string): string {
  return new Date(new Date(time).getTime() - FOLLOW_OVERLAP_MS).toISOString();
}
