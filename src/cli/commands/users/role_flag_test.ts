import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { parseRole } from "./role_flag.ts";

Deno.test("parseRole: trimmed and lower-cased, one of the contract's roles", () => {
  const cases: Array<[string, string]> = [
    ["admin", "admin"],
    ["member", "member"],
    [" Admin ", "admin"],
    ["MEMBER", "member"],
    ["\tmEmBeR\n", "member"],
  ];
  for (const [raw, role] of cases) assert.equal(parseRole(raw), role, JSON.stringify(raw));
});

Deno.test("parseRole: empty or unknown is an error naming the flag and quoting the value as typed", () => {
  const expected = 'expected one of "admin", "member"';
  const cases: Array<[string, string]> = [
    ["", 'Invalid --role "": must not be empty'],
    ["  ", 'Invalid --role "  ": must not be empty'],
    ["owner", `Invalid --role "owner": ${expected}`],
    [" Owner ", `Invalid --role " Owner ": ${expected}`],
    ["admins", `Invalid --role "admins": ${expected}`],
    ["adm in", `Invalid --role "adm in": ${expected}`],
    // Not a role by any Unicode case rule: the Turkish dotted capital I, full-width letters.
    ["ADMİN", `Invalid --role "ADMİN": ${expected}`],
    ["ＡＤＭＩＮ", `Invalid --role "ＡＤＭＩＮ": ${expected}`],
    ["admin\u001b[0m", `Invalid --role "admin\\u001b[0m": ${expected}`],
    ["x".repeat(100), `Invalid --role "${"x".repeat(80)}"...: ${expected}`],
  ];
  for (const [raw, message] of cases) {
    assert.throws(() => parseRole(raw), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.message, message);
      assert.equal(error.exitCode, 4);
      return true;
    }, JSON.stringify(raw));
  }
});

Deno.test("parseRole: the name is the caller's (bulk invite names the field as the server does)", () => {
  assert.equal(parseRole("Admin", '"role"'), "admin");
  assert.throws(() => parseRole("superuser", '"role"'), {
    message: 'Invalid "role" "superuser": expected one of "admin", "member"',
  });
  assert.throws(() => parseRole("", '"role"'), { message: 'Invalid "role" "": must not be empty' });
});
