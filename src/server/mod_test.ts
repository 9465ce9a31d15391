import assert from "node:assert/strict";
import { join } from "node:path";
import { createService } from "./mod.ts";

Deno.test("the purge timer survives a failing purge: the failure is logged and the next run comes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "phyware-purge-" });
  const log: string[] = [];
  try {
    const service = await createService(
      { dbPath: join(dir, "phyware.db"), outboxDir: join(dir, "outbox") },
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
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
