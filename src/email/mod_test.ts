import assert from "node:assert/strict";
import { asciiDomain, EmailRuleError, normalizeEmail } from "./mod.ts";

Deno.test("normalizeEmail trims spaces and tabs, keeps the case and stores NFC", () => {
  assert.equal(normalizeEmail("  Ann@Example.com\t"), "Ann@Example.com");
  assert.equal(normalizeEmail("o'brien+tag@sub.example.co.uk"), "o'brien+tag@sub.example.co.uk");
  assert.equal(normalizeEmail("jos\u00e9@ex\u00e4mple.com"), "jos\u00e9@ex\u00e4mple.com");
  assert.equal(normalizeEmail("a@xn--bcher-kva.example"), "a@xn--bcher-kva.example");
  assert.equal(
    normalizeEmail("a@\u043f\u043e\u0447\u0442\u0430.\u0440\u0444"),
    "a@\u043f\u043e\u0447\u0442\u0430.\u0440\u0444",
  );
  assert.equal(normalizeEmail("ann@bu\u0308cher.example"), "ann@b\u00fccher.example");
  assert.equal(normalizeEmail(`${"\u00e9".repeat(32)}@b.c`), `${"\u00e9".repeat(32)}@b.c`);
});

Deno.test("normalizeEmail refuses what the rule forbids", async (t) => {
  const bad: Array<[string, string]> = [
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
    ["70-character local part", `${"a".repeat(70)}@example.com`],
    ["domain with no A-label form", "a@\u0661\u0662.example"],
    ["lone high surrogate", "\ud800@x.example"],
    ["lone low surrogate", "a@x\udc00.example"],
  ];
  for (const [name, value] of bad) {
    await t.step(name, () => {
      assert.throws(() => normalizeEmail(value), EmailRuleError);
    });
  }
});

Deno.test("EmailRuleError quotes the address only where that helps", () => {
  assert.throws(() => normalizeEmail("ann"), new EmailRuleError('no "@"', "ann"));
  const long = normalizeEmailError(`${"a".repeat(65)}@b.c`);
  assert.equal(long.message, "local part longer than 64 characters");
  assert.equal(long.address, undefined);
});

Deno.test("asciiDomain gives the A-label form, lower case", () => {
  assert.equal(asciiDomain("M\u00dcNCHEN.example"), "xn--mnchen-3ya.example");
  assert.equal(asciiDomain("xn--mnchen-3ya.example"), "xn--mnchen-3ya.example");
});

function normalizeEmailError(value: string): EmailRuleError {
  try {
    normalizeEmail(value);
  } catch (error) {
    if (error instanceof EmailRuleError) return error;
    throw error;
  }
  throw new Error(`${value} was accepted`);
}
