/**
 * A users service in its own process, for the kill -9 tests: `deno run -A crash_server.ts DB SMTP_URL KEY`.
 * It prints its listening line on stderr, as `server start` does, then runs until killed. Mail leases and polls are short, so
 * a restart picks up a killed process's emails within a second.
 */
import { serve } from "../../src/runtime/serve.ts";
import { startServer } from "../../src/server/mod.ts";

const [dbPath, smtpUrl, bootstrapApiKey] = Deno.args;
if (dbPath === undefined || smtpUrl === undefined || bootstrapApiKey === undefined) {
  throw new Error("Usage: crash_server.ts DB SMTP_URL KEY");
}
const server = await startServer({
  hostname: "127.0.0.1",
  port: 0,
  dbPath,
  smtpUrl,
  outboxDir: `${dbPath}.outbox`,
  rateLimit: 0,
  inviteRateLimit: 0,
  bootstrapApiKey,
  mailRetryDelaysMs: [50, 100, 200, 400, 800],
  mailLeaseMs: 1000,
  mailPollMs: 100,
}, { serve });
console.error(`phyware server listening on ${server.url}`);
