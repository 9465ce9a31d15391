/**
 * In process, no socket: the handler answering `GET /v1/users?limit=100` for a tenant of 1,000 users,
 * 3,000 times after 300 warm-up calls; prints the mean time per request. For A/B tries of the page's code:
 * `deno run -A bench/list_page_probe.ts` in each tree, alternating.
 */
import { createService } from "../src/server/mod.ts";
import { hashSecret, newSecret, SECRET_PREFIX } from "../src/server/ids.ts";
import { seedUsers } from "../src/server/store/seed.ts";

const dir = Deno.makeTempDirSync({ prefix: "phyware-list-probe-" });
const dbPath = `${dir}/probe.db`;
const service = await createService({
  dbPath,
  outboxDir: `${dir}/outbox`,
  publicUrl: "http://x",
  rateLimit: 0,
});
try {
  const key = newSecret(SECRET_PREFIX.apiKey);
  const { tenant } = await service.store.createTenant({
    name: "probe",
    adminEmail: "admin@probe.test",
    apiKeyHash: hashSecret(key),
    now: new Date().toISOString(),
  });
  seedUsers(dbPath, tenant.id, 999);
  const request = () =>
    new Request("http://x/v1/users?limit=100", { headers: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 300; i++) await (await service.handler(request())).text();
  const started = Date.now();
  for (let i = 0; i < 3000; i++) await (await service.handler(request())).text();
  console.log(`${((Date.now() - started) * 1000 / 3000).toFixed(0)} us per request (mean of 3,000)`);
} finally {
  await service.close();
  Deno.removeSync(dir, { recursive: true });
}
