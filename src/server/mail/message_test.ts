import assert from "node:assert/strict";
import { bareAddress, composeInvitation, wireAddress } from "./message.ts";

const mail = {
  invitationId: "inv_abc",
  to: "ann@example.com",
  tenantName: "acme",
  token: `phi_${"t".repeat(43)}`,
  acceptUrl: `http://localhost:8000/accept?token=phi_${"t".repeat(43)}`,
  expiresAt: "2026-12-04T00:00:00.000Z",
};

Deno.test("the invitation is a plain-text message holding the link and the token unbroken", () => {
  const out = composeInvitation(mail, "PhyCloud <no-reply@phycloud.test>", new Date("2026-11-27T08:00:00Z"));
  assert.equal(out.envelopeFrom, "no-reply@phycloud.test");
  assert.equal(out.to, "ann@example.com");
  const split = out.raw.indexOf("\r\n\r\n");
  const head = out.raw.slice(0, split);
  const body = out.raw.slice(split + 4);
  assert.deepEqual(head.split("\r\n"), [
    "From: PhyCloud <no-reply@phycloud.test>",
    "To: ann@example.com",
    "Subject: Your invitation to PhyCloud (acme)",
    "Date: Fri, 27 Nov 2026 08:00:00 +0000",
    "Message-ID: <inv_abc@phycloud.test>",
    "X-PhyCloud-Invitation-Id: inv_abc",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 7bit",
  ]);
  assert.ok(body.split("\r\n").includes(mail.acceptUrl));
  assert.ok(body.split("\r\n").includes(mail.token));
  assert.ok(!/(^|[^\r])\n/.test(out.raw), "every line ends in CRLF");
});

Deno.test("a non-ASCII address is sent as 8bit", () => {
  const out = composeInvitation({ ...mail, to: "josé@example.com" }, "a@b.c", new Date());
  assert.match(out.raw, /Content-Transfer-Encoding: 8bit/);
});

Deno.test("bareAddress takes the address out of a display name", () => {
  assert.equal(bareAddress("PhyCloud <x@y.z>"), "x@y.z");
  assert.equal(bareAddress(" x@y.z "), "x@y.z");
});

Deno.test("an ASCII local part travels with the A-label of its domain; a non-ASCII one stays UTF-8", () => {
  assert.equal(wireAddress("ann@bücher.example"), "ann@xn--bcher-kva.example");
  assert.equal(wireAddress("ann@example.com"), "ann@example.com");
  assert.equal(wireAddress("josé@bücher.example"), "josé@bücher.example");
  const out = composeInvitation({ ...mail, to: "ann@bücher.example" }, "a@b.c", new Date());
  assert.equal(out.to, "ann@xn--bcher-kva.example");
  assert.match(out.raw, /^To: ann@xn--bcher-kva\.example\r$/m);
  assert.match(out.raw, /Content-Transfer-Encoding: 7bit/);
});
