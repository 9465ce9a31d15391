import assert from "node:assert/strict";
import { smtpTransport } from "../../src/server/mail/transport.ts";
import { startTestServer } from "../support/server.ts";
import { startSmtpSink } from "../support/smtp_sink.ts";

Deno.test("one invitation is one RCPT, to exactly the invited address", async () => {
  await using sink = await startSmtpSink();
  await using server = await startTestServer({ smtpUrl: sink.smtpUrl });
  const r = await fetch(`${server.url}/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ email: "o'hara+tag@example.com" }),
  });
  assert.equal(r.status, 201);
  await r.body?.cancel();
  await sink.waitForMessages(1);
  assert.deepEqual(await sink.recipients(), ["o'hara+tag@example.com"]);
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

async function invite(server: { url: string; apiKey: string }, email: string): Promise<void> {
  const r = await fetch(`${server.url}/v1/users`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ email }),
  });
  assert.equal(r.status, 201, await r.text());
}

Deno.test("a permanent SMTP refusal (5xx) is not retried and is logged once as not delivered", async () => {
  await using sink = await startSmtpSink({ dataReply: "554 5.7.1 Message refused" });
  const log: string[] = [];
  await using server = await startTestServer({ smtpUrl: sink.smtpUrl, log: (line) => log.push(line) });
  await invite(server, "refused@example.com");
  await server.mailIdle();
  assert.deepEqual(await sink.recipients(), ["refused@example.com"], "one attempt only");
  const mail = log.filter((line) => line.includes(" mail "));
  assert.equal(mail.length, 2, mail.join("\n"));
  assert.match(mail[0]!, /mail inv_\w+ attempt 1 failed permanently: .*554 5\.7\.1 Message refused/);
  assert.match(mail[1]!, /mail inv_\w+ not delivered: .*deactivate the user and invite the email again$/);
  assert.ok(!log.some((line) => /phi_/.test(line)), "no token in the log");
});

Deno.test("a temporary SMTP refusal (4xx) is retried, then logged as not delivered", async () => {
  await using sink = await startSmtpSink({ dataReply: "451 4.3.0 Try again later" });
  const log: string[] = [];
  await using server = await startTestServer({ smtpUrl: sink.smtpUrl, log: (line) => log.push(line) });
  await invite(server, "later@example.com");
  await server.mailIdle();
  // startTestServer waits 20 then 50 ms between attempts: three attempts in all.
  assert.equal((await sink.recipients()).length, 3);
  const mail = log.filter((line) => line.includes(" mail "));
  assert.match(mail[0]!, /attempt 1 failed: .*451.*; retrying in 20ms$/);
  assert.match(mail[2]!, /attempt 3 failed: .*451/);
  assert.match(mail[3]!, /not delivered/);
  assert.equal(mail.length, 4);
});

Deno.test("a non-ASCII address goes out with SMTPUTF8 when the server offers it", async () => {
  await using sink = await startSmtpSink({ smtputf8: true });
  await using server = await startTestServer({ smtpUrl: sink.smtpUrl });
  await invite(server, "josé@bücher.example");
  const [raw] = await sink.waitForMessages(1);
  assert.deepEqual(await sink.recipients(), ["josé@bücher.example"]);
  assert.match(raw!, /^To: josé@bücher\.example\r?$/m);
});

Deno.test("without SMTPUTF8 an ASCII local part goes to the A-label, a non-ASCII one fails permanently", async () => {
  await using sink = await startSmtpSink({ smtputf8: false });
  const log: string[] = [];
  await using server = await startTestServer({ smtpUrl: sink.smtpUrl, log: (line) => log.push(line) });
  await invite(server, "ann@bücher.example");
  const [raw] = await sink.waitForMessages(1);
  assert.deepEqual(await sink.recipients(), ["ann@xn--bcher-kva.example"]);
  assert.match(raw!, /^To: ann@xn--bcher-kva\.example\r?$/m);

  await invite(server, "josé@example.com");
  await server.mailIdle();
  const mail = log.filter((line) => line.includes(" mail "));
  assert.equal(mail.length, 2, mail.join("\n"));
  assert.match(mail[0]!, /attempt 1 failed permanently: .*the SMTP server must offer SMTPUTF8/);
  assert.match(mail[1]!, /not delivered/);
  assert.equal((await sink.messages()).length, 1);
});
