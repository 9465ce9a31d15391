import assert from "node:assert/strict";
import { join } from "node:path";
import { createService } from "./mod.ts";
import { tempDir } from "../../tests/support/temp_dir.ts";

Deno.test("the purge timer survives a failing purge: the failure is logged and the next run comes", async () => {
  await using dir = await tempDir("phyware-purge-");
  const log: string[] = [];
  const service = await createService(
    { dbPath: join(dir.path, "phyware.db"), outboxDir: join(dir.path, "outbox") },
    { log: (line) => log.push(line), purgeIntervalMs: 10 },
  );
  try {
    // A closed database makes every purge fail inside SQLite, as a busy or vanished one would.
    await service.store.close();
    const deadline = Date.now() + 5000;
    while (log.filter((line) => line.includes("purge failed")).length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const failures = log.filter((line) => line.includes("purge failed"));
    assert.ok(failures.length >= 3, `purge failures logged: ${JSON.stringify(log)}`);
    assert.match(failures[0] ?? "", /purge failed: .*database is not open/i);
  } finally {
    await service.close();
  }
});

Deno.test("closing the service first sends every invitation email already committed", async () => {
  await using dir = await tempDir("phyware-close-");
  const sent: string[] = [];
  const service = await createService(
    { dbPath: join(dir.path, "phyware.db"), outboxDir: join(dir.path, "outbox"), publicUrl: "http://x.test" },
    {
      mailTransport: {
        send: async (message) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          sent.push(message.to);
        },
        close() {},
      },
    },
  );
  const now = new Date().toISOString();
  const { tenant, admin } = await service.store.createTenant({
    name: "acme",
    adminEmail: "admin@acme.test",
    apiKeyHash: "h",
    now,
  });
  const emails = Array.from({ length: 40 }, (_, i) => `u${i}@acme.test`);
  for (const email of emails) {
    await service.store.inviteUser({
      tenantId: tenant.id,
      email,
      role: "member",
      invitedBy: admin.id,
      now,
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
  }
  await service.close();
  assert.deepEqual(sent.toSorted(), emails.toSorted());
});
