import type { ApiClient } from "./client.ts";
import { parsed } from "./parsed.ts";
import { cursorPages } from "./pages.ts";
import { type AuditEvent, type EventPage, parseEventPage } from "./types.ts";

/** Filters of `GET /v1/events`. */
export interface EventFilters {
  /** RFC 3339 time: events at or after it. */
  since?: string | undefined;
  /** RFC 3339 time: events before it. */
  until?: string | undefined;
  action?: string | undefined;
  /** A user id or a credential id. */
  actor?: string | undefined;
  target?: string | undefined;
}

/** The audit log of the PhyCloud API (admin:users). */
export class EventsApi {
  constructor(private readonly client: ApiClient) {}

  /** Fetches one page of events, newest first: at most `limit`, after `cursor`. */
  async page(filters: EventFilters, limit: number, cursor?: string): Promise<EventPage> {
    const res = await this.client.request({
      method: "GET",
      path: "/v1/events",
      query: { ...filters, limit: String(limit), cursor },
      retry: true,
    });
    return parsed(parseEventPage, res.body, this.client.baseUrl);
  }

  /** Yields every page of events, newest first, following next_cursor until it is null. */
  pages(filters: EventFilters, pageSize: number): AsyncGenerator<AuditEvent[]> {
    return cursorPages((cursor) => this.page(filters, pageSize, cursor), this.client.baseUrl);
  }
}
