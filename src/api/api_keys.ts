import type { ApiClient } from "./client.ts";
import { parsed } from "./parsed.ts";
import { cursorPages } from "./pages.ts";
import {
  type ApiKey,
  type ApiKeyCreated,
  type ApiKeyPage,
  type ApiKeyRequest,
  parseApiKey,
  parseApiKeyCreated,
  parseApiKeyPage,
} from "./types.ts";

/** Paths of the API keys resource. */
export const apiKeysPath = {
  collection: "/v1/api-keys",
  key: (id: string): string => `/v1/api-keys/${encodeURIComponent(id)}`,
};

/** The API keys resource of the PhyCloud API. */
export class ApiKeysApi {
  constructor(private readonly client: ApiClient) {}

  /** Creates a key for the caller's user; the answer holds its secret, shown this once. Never retried. */
  async create(request: ApiKeyRequest): Promise<ApiKeyCreated> {
    // A retry after a lost answer would mint a second key whose secret nobody saw: one attempt only.
    const res = await this.client.request({
      method: "POST",
      path: apiKeysPath.collection,
      body: request,
      retry: false,
    });
    return parsed(parseApiKeyCreated, res.body, this.client.baseUrl);
  }

  /** Fetches one page of keys: at most `limit`, after `cursor` (none for the first page). */
  async page(limit: number, cursor?: string): Promise<ApiKeyPage> {
    const res = await this.client.request({
      method: "GET",
      path: apiKeysPath.collection,
      query: { limit: String(limit), cursor },
      retry: true,
    });
    return parsed(parseApiKeyPage, res.body, this.client.baseUrl);
  }

  /** Yields every page of keys, following next_cursor until it is null. */
  pages(pageSize: number): AsyncGenerator<ApiKey[]> {
    return cursorPages((cursor) => this.page(pageSize, cursor), this.client.baseUrl);
  }

  /** Fetches one key (never its secret). */
  async get(id: string): Promise<ApiKey> {
    const res = await this.client.request({ method: "GET", path: apiKeysPath.key(id), retry: true });
    return parsed(parseApiKey, res.body, this.client.baseUrl);
  }

  /** Revokes a key; revoking a revoked key changes nothing, so it is retried. */
  async revoke(id: string): Promise<ApiKey> {
    const res = await this.client.request({ method: "DELETE", path: apiKeysPath.key(id), retry: true });
    return parsed(parseApiKey, res.body, this.client.baseUrl);
  }
}
