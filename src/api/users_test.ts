import assert from "node:assert/strict";
import { ApiClient } from "./client.ts";
import { UsersApi } from "./users.ts";
import { ConnectionError } from "../errors.ts";

const user = (id: string) => ({
  id,
  email: `${id}@example.com`,
  status: "active",
  role: "member",
  created_at: "2026-11-27T00:00:00.000Z",
  invited_by: null,
  activated_at: null,
  deactivated_at: null,
});

function api(pages: Record<string, unknown>): { users: UsersApi; urls: string[] } {
  const urls: string[] = [];
  const fetchFn = (input: string | URL | Request) => {
    const url = new URL(String(input));
    urls.push(url.pathname + url.search);
    return Promise.resolve(Response.json(pages[url.searchParams.get("cursor") ?? ""]));
  };
  const client = new ApiClient({
    baseUrl: "http://phycloud.test",
    apiKey: "phy_k",
    fetch: fetchFn as typeof fetch,
    sleep: () => Promise.resolve(),
    now: () => new Date(0),
    timeoutMs: 1000,
    userAgent: "test",
  });
  return { users: new UsersApi(client), urls };
}

Deno.test("pages follows next_cursor until it is null, keeping the filters", async () => {
  const { users, urls } = api({
    "": { data: [user("usr_1")], next_cursor: "c1" },
    c1: { data: [user("usr_2")], next_cursor: null },
  });
  const ids: string[] = [];
  for await (const page of users.pages({ status: "active" }, 250)) ids.push(...page.map((u) => u.id));
  assert.deepEqual(ids, ["usr_1", "usr_2"]);
  assert.deepEqual(urls, [
    "/v1/users?limit=250&status=active",
    "/v1/users?limit=250&cursor=c1&status=active",
  ]);
});

Deno.test("pages stops with an error when the server repeats a cursor", async () => {
  const { users } = api({
    "": { data: [user("usr_1")], next_cursor: "c1" },
    c1: { data: [user("usr_2")], next_cursor: "c1" },
  });
  await assert.rejects(async () => {
    for await (const _ of users.pages({}, 250)) { /* drain */ }
  }, ConnectionError);
});

Deno.test("a malformed user from the server is an error, not output", async () => {
  const { users } = api({ "": { data: [{ ...user("usr_1"), id: "usr_1\nusr_2" }], next_cursor: null } });
  await assert.rejects(async () => {
    for await (const _ of users.pages({}, 250)) { /* drain */ }
  }, /Unexpected response from http:\/\/phycloud\.test: Unexpected user: malformed id/);
});

Deno.test("ids are encoded into the path", async () => {
  const { users, urls } = api({ "": user("usr_1") });
  await users.get("usr_1");
  assert.deepEqual(urls, ["/v1/users/usr_1"]);
});

Deno.test("page fetches one page after the cursor, with the filters", async () => {
  const { users, urls } = api({ c1: { data: [user("usr_2")], next_cursor: "c2" } });
  const page = await users.page({ role: "admin" }, 50, "c1");
  assert.deepEqual(page.data.map((u) => u.id), ["usr_2"]);
  assert.equal(page.next_cursor, "c2");
  assert.deepEqual(urls, ["/v1/users?limit=50&cursor=c1&role=admin"]);
});
