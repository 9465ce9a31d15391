import assert from "node:assert/strict";
import { join } from "node:path";
import { delay } from "../../src/runtime/delay.ts";
import { startServerProcess } from "../../scripts/server_process.ts";

async function call(url: string, path: string, token: string | undefined, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  return await fetch(`${url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers,
    body: body === undefined ? null : JSON.stringify(body),
  });
}

async function json<T>(response: Promise<Response>): Promise<T> {
  return await (await response).json() as T;
}

async function tokenFromOutbox(dir: string): Promise<string> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await delay(20)) {
    let entries: Deno.DirEntry[] = [];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // not written yet
    }
    for (const entry of entries) {
      if (!entry.name.endsWith(".eml")) continue;
      const token = /phi_[0-9A-Za-z]+/.exec(await Deno.readTextFile(join(dir, entry.name)))?.[0];
      if (token) return token;
    }
  }
  throw new Error("No invitation in the outbox");
}

type ServerProcess = Awaited<ReturnType<typeof startServerProcess>>;

/** Runs `body` with two server processes (A and B) on one database in a temporary folder, then stops both. */
async function withTwoProcesses(
  admin: string,
  body: (servers: { dir: string; a: ServerProcess; b: ServerProcess }) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-revocation-" });
  const db = join(dir, "phyware.db");
  const a = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: admin } });
  try {
    const b = await startServerProcess({ db, env: { PHYCLOUD_BOOTSTRAP_API_KEY: admin } });
    try {
      await body({ dir, a, b });
    } finally {
      await b.stop("SIGKILL");
    }
  } finally {
    await a.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a key revoked through one server process is refused by another on its next request", async () => {
  const admin = `phy_${"R".repeat(43)}`;
  await withTwoProcesses(admin, async ({ dir, a, b }) => {
    // A user with its own key, made through A.
    const user = await json<{ id: string }>(
      call(a.url, "/v1/users", admin, { email: "x@example.com", role: "admin" }),
    );
    const accepted = await json<{ session: { token: string } }>(
      call(a.url, "/v1/invitations/accept", undefined, {
        token: await tokenFromOutbox(join(dir, "outbox")),
      }),
    );
    const key = await json<{ key: string }>(
      call(a.url, "/v1/api-keys", accepted.session.token, { name: "x", scopes: ["admin:users"] }),
    );
    // B has just resolved (and cached) the key.
    for (let i = 0; i < 5; i++) {
      const me = await call(b.url, "/v1/me", key.key);
      await me.body?.cancel();
      assert.equal(me.status, 200);
    }
    const deactivated = await call(a.url, `/v1/users/${user.id}/deactivate`, admin, {});
    await deactivated.body?.cancel();
    assert.equal(deactivated.status, 200);
    for (let i = 0; i < 5; i++) {
      const me = await call(b.url, "/v1/me", key.key);
      await me.body?.cancel();
      assert.equal(me.status, 401, `request ${i + 1} through B after the revocation through A`);
    }
  });
});

Deno.test("a key revoked with DELETE /v1/api-keys/{id} through one process is refused by another at once", async () => {
  const admin = `phy_${"D".repeat(43)}`;
  await withTwoProcesses(admin, async ({ a, b }) => {
    const key = await json<{ id: string; key: string }>(
      call(a.url, "/v1/api-keys", admin, { name: "ci", scopes: ["admin:users"] }),
    );
    for (let i = 0; i < 5; i++) {
      const me = await call(b.url, "/v1/me", key.key);
      await me.body?.cancel();
      assert.equal(me.status, 200);
    }
    const revoked = await fetch(`${a.url}/v1/api-keys/${key.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${admin}` },
    });
    assert.equal(revoked.status, 200);
    assert.equal((await revoked.json() as { status: string }).status, "revoked");
    for (let i = 0; i < 5; i++) {
      const me = await call(b.url, "/v1/me", key.key);
      await me.body?.cancel();
      assert.equal(me.status, 401, `request ${i + 1} through B after the revocation through A`);
    }
  });
});
