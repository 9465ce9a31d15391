import assert from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { parseEmail } from "./email.ts";

Deno.test("parseEmail returns the address trimmed of spaces and tabs and in NFC, its case kept", () => {
  assert.equal(parseEmail("alice@example.com"), "alice@example.com");
  assert.equal(parseEmail(" \talice@example.com\t "), "alice@example.com");
  assert.equal(parseEmail("Alice.Smith@Example.COM"), "Alice.Smith@Example.COM");
  // e and a combining acute accent become the one precomposed character.
  assert.equal(parseEmail("rene\u0301@example.com"), "ren\u00e9@example.com");
  assert.equal(parseEmail("anna@m\u00fcnchen.example"), "anna@m\u00fcnchen.example");
});

Deno.test("each broken rule is a ValidationError (exit 4) naming --email, the value as typed and the rule", () => {
  const cases: [string, string][] = [
    ["", 'Invalid --email "": empty'],
    ["   ", 'Invalid --email "   ": empty'],
    ["alice", 'Invalid --email "alice": no "@"'],
    ["a@b@example.com", 'Invalid --email "a@b@example.com": more than one "@"'],
    ["@example.com", 'Invalid --email "@example.com": empty local part'],
    ["a b@example.com", 'Invalid --email "a b@example.com": contains a control or space character'],
    ["a\r\n@example.com", 'Invalid --email "a\\r\\n@example.com": contains a control or space character'],
    ["a\u200b@example.com", 'Invalid --email "a\u200b@example.com": contains a control or space character'],
    ["\ud800@example.com", 'Invalid --email "\\ud800@example.com": contains a lone UTF-16 surrogate'],
    [
      "x,y@example.com",
      'Invalid --email "x,y@example.com": the local part may not contain "," (none of , ; < > ( ) [ ] " \\ : or spaces)',
    ],
    [
      "<a@example.com>",
      'Invalid --email "<a@example.com>": the local part may not contain "<" (none of , ; < > ( ) [ ] " \\ : or spaces)',
    ],
    [
      "a@example..com",
      'Invalid --email "a@example..com": bad domain (expected dot-separated labels of letters, digits and inner hyphens)',
    ],
    [
      "a@-example.com",
      'Invalid --email "a@-example.com": bad domain (expected dot-separated labels of letters, digits and inner hyphens)',
    ],
    [
      "a@",
      'Invalid --email "a@": bad domain (expected dot-separated labels of letters, digits and inner hyphens)',
    ],
    [
      `${"a".repeat(65)}@x.io`,
      `Invalid --email "${"a".repeat(65)}@x.io": local part longer than 64 characters`,
    ],
    // 33 two-octet characters are 66 octets in UTF-8.
    [
      `${"\u00e9".repeat(33)}@x.io`,
      `Invalid --email "${"\u00e9".repeat(33)}@x.io": local part longer than 64 octets in UTF-8`,
    ],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => parseEmail(raw), new ValidationError(message), JSON.stringify(raw));
  }
});

Deno.test("an address over 254 octets is refused, the value echoed cut at 80 characters", () => {
  const raw = `${"a".repeat(60)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(64)}.example`;
  assert.equal(raw.length, 255);
  assert.throws(
    () => parseEmail(raw),
    new ValidationError(`Invalid --email "${raw.slice(0, 80)}"...: longer than 254 characters`),
  );
});

Deno.test("the flag the address came from names it in the error", () => {
  assert.throws(
    () => parseEmail("root", "--admin-email"),
    new ValidationError('Invalid --admin-email "root": no "@"'),
  );
  assert.equal(parseEmail("root@example.com", "--admin-email"), "root@example.com");
});

Deno.test("a character that steers a terminal is escaped where the value is echoed", () => {
  assert.throws(
    () => parseEmail("a\u202e@example.com"),
    new ValidationError('Invalid --email "a\\u202e@example.com": contains a control or space character'),
  );
  assert.throws(
    () => parseEmail("\u001b[2J@example.com"),
    new ValidationError('Invalid --email "\\u001b[2J@example.com": contains a control or space character'),
  );
});
