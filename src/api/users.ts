import type { ApiClient, RequestSpec } from "./client.ts";
import {
  type InviteRequest,
  type Me,
  parseMe,
  parseUserDetails,
  parseUserPage,
  type UserDetails,
  type UserPage,
} from "./types.ts";
import { parsed } from "./parsed.ts";
import { cursorPages } from "./pages.ts";

/** Paths of the users resource, shared by the calls below and by `--dry-run`, which describes them. */
export const usersPath = {
  collection: "/v1/users",
  user: (id: string): string => `/v1/users/${encodeURIComponent(id)}`,
  deactivate: (id: string): string => `/v1/users/${encodeURIComponent(id)}/deactivate`,
  invitation: (id: string): string => `/v1/users/${encodeURIComponent(id)}/invitation`,
};

/** Filters of `GET /v1/users`. */
export interface UserFilters {
  status?: string | undefined;
  role?: string | undefined;
  /** One mailbox: the server matches it by the email rule (case, NFC, the domain's A-label). */
  email?: string | undefined;
  /** Text the email contains, case-insensitively (2 characters or more): the server's `q`. */
  query?: string | undefined;
}

/** Users asked for when looking one address up: a mailbox has one live user and rarely many old ones. */
const EMAIL_PAGE = 100;

/** The users resource of the PhyCloud API. */
export class UsersApi {
  constructor(private readonly client: ApiClient) {}

  // Sends a request whose answer is one user, and checks that it is one.
  async #user(spec: RequestSpec): Promise<UserDetails> {
    const res = await this.client.request(spec);
    return parsed(parseUserDetails, res.body, this.client.baseUrl);
  }

  /** Creates a pending user and sends the invitation; safe to retry thanks to the idempotency key. */
  async invite(request: InviteRequest, idempotencyKey: string): Promise<UserDetails> {
    return await this.#user({
      method: "POST",
      path: usersPath.collection,
      body: request,
      idempotencyKey,
      retry: true,
    });
  }

  /** Describes the caller: user, tenant and the credential in use (`GET /v1/me`). */
  async me(): Promise<Me> {
    const res = await this.client.request({ method: "GET", path: "/v1/me", retry: true });
    return parsed(parseMe, res.body, this.client.baseUrl);
  }

  /** Fetches one user with every detail. */
  async get(id: string): Promise<UserDetails> {
    return await this.#user({
      method: "GET",
      path: usersPath.user(id),
      retry: true,
    });
  }

  /**
   * The user of one mailbox: its pending or active user, else its most recent (inactive) record; undefined
   * when the address never had one. One request in the common case.
   */
  async findByEmail(email: string): Promise<UserDetails | undefined> {
    let found: UserDetails | undefined;
    for await (const page of this.pages({ email }, EMAIL_PAGE)) {
      const live = page.find((user) => user.status !== "inactive");
      if (live) return live;
      found = page.at(-1) ?? found;
    }
    return found;
  }

  /** Gives a user another role (`PATCH /v1/users/{id}`); the same role again changes nothing. */
  async setRole(id: string, role: string, idempotencyKey: string): Promise<UserDetails> {
    return await this.#user({
      method: "PATCH",
      path: usersPath.user(id),
      body: { role },
      idempotencyKey,
      retry: true,
    });
  }

  /** Deactivates a user; the server makes it idempotent, so it is retried with the same key. */
  async deactivate(id: string, idempotencyKey: string): Promise<UserDetails> {
    return await this.#user({
      method: "POST",
      path: usersPath.deactivate(id),
      idempotencyKey,
      retry: true,
    });
  }

  /** Sends a pending user a new invitation (the previous token stops working); retried with the same key. */
  async resendInvitation(id: string, idempotencyKey: string): Promise<UserDetails> {
    return await this.#user({
      method: "POST",
      path: usersPath.invitation(id),
      idempotencyKey,
      retry: true,
    });
  }

  /** Fetches one page of users: at most `limit`, after `cursor` (none for the first page). */
  async page(filters: UserFilters, limit: number, cursor?: string): Promise<UserPage> {
    const res = await this.client.request({
      method: "GET",
      path: usersPath.collection,
      query: {
        limit: String(limit),
        cursor,
        status: filters.status,
        role: filters.role,
        email: filters.email,
        q: filters.query,
      },
      retry: true,
    });
    return parsed(parseUserPage, res.body, this.client.baseUrl);
  }

  /** Yields every page of users, following next_cursor until it is null. */
  pages(filters: UserFilters, pageSize: number): AsyncGenerator<UserDetails[]> {
    return cursorPages((cursor) => this.page(filters, pageSize, cursor), this.client.baseUrl);
  }
}
