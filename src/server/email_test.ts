import assert from "node:assert/strict";
import { parseEmail } from "./email.ts";
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
