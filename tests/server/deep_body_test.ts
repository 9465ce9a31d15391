// Issue 18 item 3: a deeply nested body is a 400 at once (no stack overflow, no 500, no error log line),
// and unauthenticated bodies refused as invalid count against the per-address failure limit.
import assert from "node:assert/strict";
import { MAX_BODY_DEPTH, nestingDepth } from "../../src/server/body.ts";
import { DEFAULT_AUTH_FAILURE_LIMIT } from "../../src/server/defaults.ts";
import { startTestServer } from "../support/server.ts";

const deep = (depth: number) => `{"token": ${"[".repeat(depth)}${"]".repeat(depth)}}`;

Deno.test("a body nested 30,000 deep is a 400 at once on accept and on invite, with no error logged", async () => {
  const log: string[] = [];
  await using server = await startTestServer({ log: (line) => log.push(line) });
  for (
    const [path, token] of [["/v1/invitations/accept", undefined], ["/v1/users", server.apiKey]] as const
  ) {
    const started = performance.now();
    const response = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: deep(30_000),
    });
    const body = await response.json();
    const ms = performance.now() - started;
    assert.equal(response.status, 400, path);
    assert.equal(body.detail, `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
    assert.ok(ms < 1000, `${path} took ${ms.toFixed(0)} ms`);
  }
  assert.deepEqual(log.filter((line) => / error /.test(line)), []);
  assert.equal(log.filter((line) => / 400 /.test(line)).length, 2);
});

Deno.test("nesting up to the limit is parsed as usual; one level more is refused", async () => {
  await using server = await startTestServer();
  const post = async (body: string) => {
    const r = await fetch(`${server.url}/v1/invitations/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    return { status: r.status, detail: (await r.json()).detail as string };
  };
  // The object itself is one level: MAX_BODY_DEPTH - 1 arrays inside it reach the limit.
  const atLimit = await post(deep(MAX_BODY_DEPTH - 1));
  assert.equal(atLimit.status, 400);
  assert.match(atLimit.detail, /^Invalid invitation token/);
  const beyond = await post(deep(MAX_BODY_DEPTH));
  assert.equal(beyond.detail, `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
});

Deno.test("nestingDepth ignores brackets inside strings and escaped quotes", () => {
  assert.equal(nestingDepth('{"a": "[[[[\\"[[", "b": [1, {"c": []}]}'), 4);
  assert.equal(nestingDepth("3"), 0);
});

Deno.test("at the default limits, unauthenticated bad bodies run into the per-address limit (429)", async () => {
  await using server = await startTestServer({ authFailureLimit: DEFAULT_AUTH_FAILURE_LIMIT });
  const statuses: number[] = [];
  for (let i = 0; i <= DEFAULT_AUTH_FAILURE_LIMIT; i++) {
    const r = await fetch(`${server.url}/v1/invitations/accept`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: deep(30_000),
    });
    await r.body?.cancel();
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [...Array(DEFAULT_AUTH_FAILURE_LIMIT).fill(400), 429]);
});
