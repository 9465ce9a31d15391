import assert from "node:assert/strict";
import { emailKey, parseEmail } from "./email.ts";
import { HttpProblem } from "./problem.ts";

Deno.test("parseEmail trims spaces and keeps the case", () => {
  assert.equal(parseEmail("  Ann@Example.com\t"), "Ann@Example.com");
  assert.equal(parseEmail("o'brien+tag@sub.example.co.uk"), "o'brien+tag@sub.example.co.uk");
  assert.equal(parseEmail("josé@exämple.com"), "josé@exämple.com");
  assert.equal(parseEmail("a@xn--bcher-kva.example"), "a@xn--bcher-kva.example");
  assert.equal(parseEmail("a@почта.рф"), "a@почта.рф");
});

Deno.test("parseEmail rejects what the rules forbid", async (t) => {
  const bad: Array<[string, unknown]> = [
    ["undefined", undefined],
    ["number", 5],
    ["empty", ""],
    ["no at", "ann"],
    ["two at", "a@b@c"],
    ["trailing CR LF", "ann@example.com\r\n"],
    ["NUL", "ann\0@example.com"],
    ["DEL", "ann\u007f@example.com"],
    ["C1 control", "ann\u0085@example.com"],
    ["zero-width space", "ann\u200b@example.com"],
    ["bidi override", "ann\u202e@example.com"],
    ["dot-ended domain", "ann@example."],
    ["double dot domain", "ann@example..com"],
    ["255 characters", `a@${"b".repeat(253)}`],
    ["65-character local part", `${"a".repeat(65)}@b.c`],
    ["local part of 65 octets in 33 characters", `a${"é".repeat(32)}@b.c`],
    ["259 octets in 132 characters", `${"é".repeat(32)}@${"é".repeat(95)}.com`],
    ["comma", "x,attacker@evil.com"],
    ["angle bracket in domain", "bob@corp.com>attacker"],
    ["angle brackets", "<a>@b.c"],
    ["quoted local part", '"q"@x.com'],
    ["backslash", "a\\b@x.com"],
    ["colon", "a:b@x.com"],
    ["parentheses", "a(c)@x.com"],
    ["square brackets", "a@[127.0.0.1]"],
    ["empty label", "a@b..c"],
    ["leading hyphen", "a@-b.c"],
    ["trailing hyphen", "a@b.c-"],
  ];
  for (const [name, value] of bad) {
    await t.step(name, () => {
      assert.throws(() => parseEmail(value), (e: unknown) => e instanceof HttpProblem && e.status === 400);
    });
  }
});

Deno.test("parseEmail stores NFC and emailKey folds normalisation, compatibility forms and case", () => {
  assert.equal(parseEmail("cafe\u0301@example.com"), "caf\u00e9@example.com");
  assert.equal(emailKey("CAFE\u0301@Example.com"), emailKey("caf\u00e9@example.com"));
  assert.equal(emailKey("\uff43af\u00e9@example.com"), "caf\u00e9@example.com");
  assert.equal(parseEmail(`${"é".repeat(32)}@b.c`), `${"é".repeat(32)}@b.c`);
});
