import assert from "node:assert/strict";
import { smtpTransport } from "../../src/server/mail/transport.ts";
import { startTestServer } from "../support/server.ts";
import { startSmtpSink } from "../support/smtp_sink.ts";

Deno.test("one invitation is one RCPT, to exactly the invited address", async () => {
  const sink = await startSmtpSink();
  const server = await startTestServer({ smtpUrl: sink.smtpUrl });
  try {
    const r = await fetch(`${server.url}/v1/users`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ email: "o'hara+tag@example.com" }),
    });
    assert.equal(r.status, 201);
    await r.body?.cancel();
    await sink.waitForMessages(1);
    assert.deepEqual(await sink.recipients(), ["o'hara+tag@example.com"]);
  } finally {
    await server.close();
    await sink.close();
  }
});

Deno.test("the SMTP transport never splits one recipient into several", async (t) => {
  const sink = await startSmtpSink();
  const transport = smtpTransport(sink.smtpUrl);
  try {
    let sent = 0;
    for (const to of ["x,attacker@evil.test", "bob@corp.test>attacker", "a@b.test; c@evil.test"]) {
      await t.step(to, async () => {
        const before = (await sink.recipients()).length;
        await transport.send(
          { envelopeFrom: "no-reply@phycloud.test", to, raw: "Subject: x\r\n\r\nx\r\n" },
          "t",
        )
          .then(() => sent++, () => {});
        const added = (await sink.recipients()).slice(before);
        assert.ok(added.length <= 1, `one address became ${JSON.stringify(added)}`);
        assert.ok(!added.some((a) => a === "attacker@evil.test" || a === "c@evil.test"), String(added));
      });
    }
    assert.equal((await sink.messages()).length, sent);
  } finally {
    transport.close();
    await sink.close();
  }
});
