import assert from "node:assert/strict";
import { join } from "node:path";
import { hashSecret, newSecret, SECRET_PREFIX } from "../ids.ts";
import { openStore } from "../store/open.ts";
import type { OutboxHolder, Store } from "../store/types.ts";
import { InvitationSender } from "./sender.ts";

const HOST = "host-a boot-1 pid:[1]";

/**
 * Runs `body` on a new database in a temporary folder holding one tenant and one pending invitation to
 * `email` (made at `now`), then closes and removes it.
 */
async function withOneInvitation<T>(
  email: string,
  body: (store: Store, now: Date) => Promise<T>,
): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-sender-" });
  const store = await openStore(join(dir, "phyware.db"));
  try {
    const now = new Date();
    const created = await store.createTenant({
      name: "acme",
      adminEmail: "admin@acme.invalid",
      apiKeyHash: hashSecret(newSecret(SECRET_PREFIX.apiKey)),
      now: now.toISOString(),
    });
    await store.inviteUser({
      tenantId: created.tenant.id,
      email,
      role: "member",
      invitedBy: created.admin.id,
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + 86_400_000).toISOString(),
    });
    return await body(store, now);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Queues one invitation claimed (for a 60 s lease) by `holder`, then starts a sender as `self` that sees
 * `exists` as the live pids, and returns the rows still pending once the sender has had its start.
 */
async function pendingAfterStart(
  holder: OutboxHolder,
  self: OutboxHolder,
  exists: (pid: number) => boolean,
): Promise<number> {
  return await withOneInvitation("held@example.com", async (store, now) => {
    const lease = new Date(now.getTime() + 60_000).toISOString();
    assert.equal(
      (await store.outbox.claimDue(now.toISOString(), lease, [hashSecret("x")], holder)).length,
      1,
    );
    const sender = new InvitationSender(store.outbox, { send: () => Promise.resolve(), close() {} }, {
      from: "a@example.com",
      retryDelaysMs: [],
      leaseMs: 60_000,
      pollMs: 60_000,
      publicUrl: () => "http://localhost",
      log: () => {},
      now: () => new Date(),
      holder: self,
      processExists: exists,
    });
    sender.start();
    await sender.close(2000);
    return await store.outbox.pendingCount();
  });
}

Deno.test("at start, only the rows of a gone process of this host are taken over", async (t) => {
  await t.step("a gone process of this host: sent at once", async () => {
    assert.equal(await pendingAfterStart({ pid: 4242, host: HOST }, { pid: 1, host: HOST }, () => false), 0);
  });
  await t.step("a live process of this host: left to its lease", async () => {
    assert.equal(await pendingAfterStart({ pid: 4242, host: HOST }, { pid: 1, host: HOST }, () => true), 1);
  });
  await t.step("a process of another host (or pid namespace): left to its lease", async () => {
    const other = { pid: 4242, host: "host-b boot-2 pid:[9]" };
    assert.equal(await pendingAfterStart(other, { pid: 1, host: HOST }, () => false), 1);
  });
  await t.step("a row claimed under this very pid: left to its lease", async () => {
    assert.equal(await pendingAfterStart({ pid: 7, host: HOST }, { pid: 7, host: HOST }, () => false), 1);
  });
});

Deno.test("close aborts a send still in flight after its grace and records the row for a retry", async () => {
  await withOneInvitation("slow@example.com", async (store) => {
    let aborted: unknown;
    let started!: () => void;
    const sending = new Promise<void>((resolve) => started = resolve);
    const log: string[] = [];
    // A send that only ends when it is aborted, as one to a silent SMTP server.
    const hanging = {
      send: (_message: unknown, _label: string, signal?: AbortSignal) =>
        new Promise<void>((_, reject) => {
          started();
          signal?.addEventListener("abort", () => {
            aborted = signal.reason;
            reject(signal.reason);
          });
        }),
      close() {},
    };
    const sender = new InvitationSender(store.outbox, hanging, {
      from: "a@example.com",
      retryDelaysMs: [60_000],
      leaseMs: 60_000,
      pollMs: 60_000,
      publicUrl: () => "http://localhost",
      log: (line) => log.push(line),
      now: () => new Date(),
      holder: { pid: 1, host: HOST },
      processExists: () => true,
    });
    sender.start();
    await sending;
    const closing = performance.now();
    await sender.close(100);
    assert.ok(performance.now() - closing < 2000, "close did not wait for the deadline");
    assert.match(String(aborted), /The server stopped before the send finished/);
    assert.match(
      log.join("\n"),
      /attempt 1 failed: The server stopped before the send finished; retrying in 60000ms/,
    );
    // Recorded for a retry: no longer held, due in a minute.
    assert.deepEqual(await store.outbox.holders(HOST, new Date().toISOString()), []);
    assert.equal(await store.outbox.pendingCount(), 1);
  });
});
