// Issue 18 item 4: an SMTP server that drips its reply (a line every 200 ms, under any socket timeout) holds
// up only the one send it is doing, and only until that send's deadline (half the lease): the other
// invitations go out meanwhile, and the stuck one is aborted before its lease ends and sent again.
import assert from "node:assert/strict";
import { delay } from "../../src/runtime/delay.ts";
import { startDrippingSmtp } from "../support/dripping_smtp.ts";
import { startSmtpSink } from "../support/smtp_sink.ts";
import { startTestServer } from "../support/server.ts";

const LEASE_MS = 6000;
const COUNT = 20;

Deno.test("one dripping SMTP session stops no other invitation and is aborted within its lease", async () => {
  await using sink = await startSmtpSink();
  await using dripping = startDrippingSmtp(sink.smtpUrl);
  await using server = await startTestServer({ smtpUrl: dripping.smtpUrl, mailLeaseMs: LEASE_MS });
  const emails = Array.from({ length: COUNT }, (_, i) => `drip${i}@example.com`);
  for (const email of emails) {
    const r = await fetch(`${server.url}/v1/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email }),
    });
    await r.body?.cancel();
    assert.equal(r.status, 201);
  }
  // The other 19 arrive while the dripping session still holds its message.
  await sink.waitForMessages(COUNT - 1, LEASE_MS / 2);
  const ended = dripping.dataEndedAt();
  assert.ok(ended !== undefined, "the dripping connection took a message");
  // The stuck send is aborted by the sender (the client closes the connection) before the lease ends...
  while (dripping.closedAt() === undefined && performance.now() - ended < LEASE_MS) await delay(20);
  const closed = dripping.closedAt();
  assert.ok(closed !== undefined, "the sender closed the dripping connection within the lease");
  assert.ok(closed - ended < LEASE_MS, `closed ${Math.round(closed - ended)} ms after its message`);
  // ...and sent again: every invited address gets its email.
  const messages = await sink.waitForMessages(COUNT, 10_000);
  const to = new Set(messages.map((m) => /^To: (.*)\r$/m.exec(m)?.[1]));
  assert.deepEqual(emails.filter((email) => !to.has(email)), []);
  await server.mailIdle();
});
