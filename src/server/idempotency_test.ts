import assert from "node:assert/strict";
import {
  IDEMPOTENCY_TTL_MS,
  idempotencyKey,
  idempotencyWrite,
  replay,
  requestHash,
  storedReply,
} from "./idempotency.ts";
import { HttpProblem } from "./problem.ts";
import type { Principal, Store, StoredResponse, UserRecord } from "./store/types.ts";

const withKey = (key: string) =>
  new Request("http://svc.test/v1/users", { method: "POST", headers: { "idempotency-key": key } });

const badKey = new HttpProblem(
  400,
  "VALIDATION_ERROR",
  'Invalid "Idempotency-Key" header: expected 1 to 255 visible ASCII characters',
);

const principal: Principal = {
  credentialId: "key_1",
  kind: "api_key",
  tenantId: "ten_1",
  userId: "usr_admin",
  scopes: ["admin:users"],
  credentialName: "ci",
};

const user: UserRecord = {
  seq: 1,
  id: "usr_new",
  tenantId: "ten_1",
  email: "a@x.io",
  status: "pending",
  role: "member",
  createdAt: "2026-01-01T00:00:00.000Z",
  invitedBy: "usr_admin",
  activatedAt: null,
  deactivatedAt: null,
};

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

Deno.test("idempotencyKey: absent is undefined; 1 to 255 visible ASCII characters are the key", () => {
  assert.equal(idempotencyKey(new Request("http://svc.test/v1/users", { method: "POST" })), undefined);
  assert.equal(
    idempotencyKey(withKey("7f1c0e4e-2b9a-4c53-9d3e-0a0b0c0d0e0f")),
    "7f1c0e4e-2b9a-4c53-9d3e-0a0b0c0d0e0f",
  );
  assert.equal(idempotencyKey(withKey("!")), "!");
  assert.equal(idempotencyKey(withKey("~".repeat(255))), "~".repeat(255));
  // A header's surrounding white space is not part of its value.
  assert.equal(idempotencyKey(withKey("  k1  ")), "k1");
});

Deno.test("idempotencyKey refuses an empty, too long or invisible key with a 400", () => {
  for (const key of ["", "x".repeat(256), "a b", "a\tb", "caf\u00e9"]) {
    assert.throws(() => idempotencyKey(withKey(key)), badKey, JSON.stringify(key));
  }
  try {
    idempotencyKey(withKey(""));
    assert.fail("no error");
  } catch (error) {
    assert.ok(error instanceof HttpProblem);
    assert.equal(error.status, 400);
    assert.equal(error.code, "VALIDATION_ERROR");
  }
});

Deno.test("requestHash is the SHA-256 of method, path and JSON body, in hex", async () => {
  const body = { email: "a@x.io", role: "member" };
  assert.equal(
    requestHash("POST", "/v1/users", body),
    await sha256Hex('POST /v1/users\n{"email":"a@x.io","role":"member"}'),
  );
  assert.match(requestHash("POST", "/v1/users", body), /^[0-9a-f]{64}$/);
  assert.equal(requestHash("POST", "/v1/users", { ...body }), requestHash("POST", "/v1/users", body));
});

Deno.test("requestHash differs when the method, the path or the body does", () => {
  const body = { role: "admin" };
  const base = requestHash("PATCH", "/v1/users/usr_a", body);
  assert.notEqual(requestHash("POST", "/v1/users/usr_a", body), base);
  assert.notEqual(requestHash("PATCH", "/v1/users/usr_b", body), base);
  assert.notEqual(requestHash("PATCH", "/v1/users/usr_a", { role: "member" }), base);
  assert.notEqual(requestHash("PATCH", "/v1/users/usr_a", undefined), base);
});

Deno.test("replay gives the stored status and body, marked as replayed", async () => {
  const stored: StoredResponse = { requestHash: "h1", status: 200, body: '{"id":"usr_a","role":"admin"}' };
  const response = replay(stored, "h1");
  assert.equal(response.status, 200);
  assert.equal(response.headers.get("idempotent-replayed"), "true");
  assert.equal(response.headers.get("location"), null);
  assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.equal(await response.text(), '{"id":"usr_a","role":"admin"}');
});

Deno.test("the replay of a 201 names the invited user in Location, as the first answer did", async () => {
  const body = '{"id":"usr_new","email":"a@x.io","status":"pending","role":"member"}';
  const response = replay({ requestHash: "h1", status: 201, body }, "h1");
  assert.equal(response.status, 201);
  assert.equal(response.headers.get("location"), "/v1/users/usr_new");
  assert.equal(response.headers.get("idempotent-replayed"), "true");
  assert.equal(await response.text(), body);
});

Deno.test("a key reused with another request is a 422 telling to use a new key", () => {
  assert.throws(
    () => replay({ requestHash: "h1", status: 200, body: "{}" }, "h2"),
    new HttpProblem(
      422,
      "VALIDATION_ERROR",
      "Idempotency-Key was already used with a different request: use a new key",
    ),
  );
});

Deno.test("idempotencyWrite: nothing without a key; with one, what the store keeps and when it expires", () => {
  const render = (u: UserRecord) => JSON.stringify({ id: u.id });
  const now = new Date("2026-03-02T12:00:00.000Z");
  assert.equal(idempotencyWrite(undefined, principal, "h1", 201, now, render), undefined);
  const write = idempotencyWrite("k1", principal, "h1", 201, now, render);
  assert.deepEqual(write, {
    credentialId: "key_1",
    key: "k1",
    requestHash: "h1",
    status: 201,
    expiredBefore: "2026-03-01T12:00:00.000Z",
    render,
  });
  assert.equal(write?.render(user), '{"id":"usr_new"}');
  assert.equal(IDEMPOTENCY_TTL_MS, 86_400_000);
});

/** A store that answers findIdempotent from `stored`, and records its calls. */
function fakeStore(stored: StoredResponse | undefined) {
  const calls: [string, string, string][] = [];
  const store = {
    findIdempotent(credentialId: string, key: string, notBefore: string) {
      calls.push([credentialId, key, notBefore]);
      return Promise.resolve(stored);
    },
  } as Pick<Store, "findIdempotent"> as Store;
  return { store, calls };
}

Deno.test("storedReply: no key, no look-up; a key never seen lets the write go ahead", async () => {
  const none = fakeStore(undefined);
  assert.equal(await storedReply(none.store, undefined), undefined);
  assert.deepEqual(none.calls, []);
  const write = idempotencyWrite("k1", principal, "h1", 201, new Date("2026-03-02T12:00:00.000Z"), () => "");
  assert.equal(await storedReply(none.store, write), undefined);
  assert.deepEqual(none.calls, [["key_1", "k1", "2026-03-01T12:00:00.000Z"]]);
});

Deno.test("storedReply replays a repeated request, and refuses a key reused with another body", async () => {
  const { store } = fakeStore({ requestHash: "h1", status: 200, body: '{"id":"usr_a"}' });
  const now = new Date("2026-03-02T12:00:00.000Z");
  const same = await storedReply(store, idempotencyWrite("k1", principal, "h1", 200, now, () => ""));
  assert.equal(same?.status, 200);
  assert.equal(same?.headers.get("idempotent-replayed"), "true");
  assert.equal(await same?.text(), '{"id":"usr_a"}');
  await assert.rejects(
    storedReply(store, idempotencyWrite("k1", principal, "h2", 200, now, () => "")),
    new HttpProblem(
      422,
      "VALIDATION_ERROR",
      "Idempotency-Key was already used with a different request: use a new key",
    ),
  );
});
