import assert from "node:assert/strict";
import { emailKey, parseEmail } from "./email.ts";
import { HttpProblem } from "./problem.ts";

Deno.test("parseEmail names the field and quotes the address the shared rule checked", () => {
  assert.equal(parseEmail(" ann@bu\u0308cher.example"), "ann@b\u00fccher.example");
  const cases: Array<[unknown, string]> = [
    [undefined, 'Missing field "email"'],
    [5, 'Invalid "email": not a string'],
    ["", 'Invalid "email": empty'],
    ["ann", 'Invalid "email" "ann": no "@"'],
    [`${"a".repeat(65)}@b.c`, 'Invalid "email": local part longer than 64 characters'],
  ];
  for (const [value, detail] of cases) {
    assert.throws(
      () => parseEmail(value),
      (e: unknown) => e instanceof HttpProblem && e.status === 400 && e.message === detail,
    );
  }
});

Deno.test("emailKey folds normalisation, compatibility forms and case, and the domain to its A-label", () => {
  assert.equal(emailKey("CAFE\u0301@Example.com"), emailKey("caf\u00e9@example.com"));
  assert.equal(emailKey("\uff43af\u00e9@example.com"), "caf\u00e9@example.com");
  assert.equal(emailKey("z@m\u00fcnchen.example"), "z@xn--mnchen-3ya.example");
  assert.equal(emailKey("Z@XN--MNCHEN-3YA.example"), "z@xn--mnchen-3ya.example");
  assert.equal(emailKey("J\u00f6rg@M\u00fcnchen.example"), "j\u00f6rg@xn--mnchen-3ya.example");
});
