import assert from "node:assert/strict";
import postgres from "postgres";
import { needsPostgres, startPostgres } from "../../../tests/support/postgres.ts";
import { openStore } from "./open.ts";
import { chargeBuckets, refundBuckets } from "./postgres_buckets.ts";

Deno.test({
  name: "a limit of 120 a minute admits at most 120 however many instances charge it at once",
  ...needsPostgres(),
  async fn() {
    await using cluster = await startPostgres();
    const url = await cluster.database();
    await (await openStore(url)).close(); // creates the tables
    const pools = [postgres(url), postgres(url), postgres(url)];
    try {
      const started = Date.now();
      const charge = [{ key: "tenant-invitations:ten_1", perMinute: 120 }, {
        key: "key-invitations:key_1",
        perMinute: 1000,
      }];
      const results = await Promise.all(
        Array.from(
          { length: 300 },
          (_, i) => chargeBuckets(pools[i % 3] as postgres.Sql, charge, Date.now()),
        ),
      );
      const seconds = (Date.now() - started) / 1000;
      const admitted = results.filter((r) => r.wait === 0).length;
      // The tolerance is what the bucket refills while the test runs: 2 a second.
      assert.ok(admitted >= 120 && admitted <= 120 + Math.ceil(seconds * 2), `${admitted} in ${seconds} s`);
      const refused = results.find((r) => r.wait > 0);
      assert.ok(refused && refused.wait >= 1 && refused.wait <= 1, JSON.stringify(refused));
      // A refusal by one bucket charged the other nothing: the key's bucket lost only the admitted requests.
      const key = refused.states.find((s) => s.key.startsWith("key-"));
      assert.ok(
        key && key.remaining >= 1000 - admitted - 1 && key.remaining <= 1000 - admitted + 1,
        JSON.stringify(key),
      );
      await refundBuckets(pools[0] as postgres.Sql, charge);
      const again = await chargeBuckets(pools[1] as postgres.Sql, charge, Date.now());
      assert.equal(again.wait, 0);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  },
});
