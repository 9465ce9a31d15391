import assert from "node:assert/strict";
import { ValidationError } from "../../../errors.ts";
import { isYes } from "../shared/confirm.ts";
import { parseEmail } from "../../../arguments/email.ts";
import { parseListOptions } from "./list.ts";
import { parseUserId } from "../../../arguments/user_id.ts";
import { parseFields, USER_FIELDS } from "./fields.ts";

Deno.test("parseEmail accepts ordinary and international addresses, trimmed", () => {
  assert.equal(parseEmail("  alice@example.com "), "alice@example.com");
  assert.equal(parseEmail("o'brien+tag@sub.example.co.uk"), "o'brien+tag@sub.example.co.uk");
  assert.equal(parseEmail("jos\u00e9@b\u00fccher.example"), "jos\u00e9@b\u00fccher.example");
});

Deno.test("parseEmail is the server's rule: a combining mark is normalised, a 70-character local part refused", () => {
  assert.equal(parseEmail("ann@bu\u0308cher.example"), "ann@b\u00fccher.example");
  assert.throws(
    () => parseEmail(`${"a".repeat(70)}@example.com`),
    new ValidationError(
      // Echoed cut at 80 characters (quotedInput).
      `Invalid --email "${"a".repeat(70)}@example.c"...: local part longer than 64 characters`,
    ),
  );
});

Deno.test("parseEmail rejects what could name another recipient or is not an address", async (t) => {
  for (
    const bad of [
      "",
      "alice",
      "a@b@c",
      "x,y@z.com",
      "<a@b.com>",
      "a b@c.com",
      "a@b..c",
      "a@-b.c",
      "@b.c",
    ]
  ) {
    await t.step(JSON.stringify(bad), () => {
      assert.throws(() => parseEmail(bad), ValidationError);
    });
  }
});

Deno.test("parseUserId keeps an id to one path segment", () => {
  assert.equal(parseUserId("usr_abc123"), "usr_abc123");
  for (const bad of ["", ".", "..", "a/b", "a\\b", "a?b", "a#b", "a%2Fb", "a b", "x".repeat(257)]) {
    assert.throws(() => parseUserId(bad), ValidationError, bad);
  }
});

Deno.test("parseListOptions checks --limit and --role", () => {
  assert.equal(parseListOptions({ output: "json", limit: "25" }).limit, 25);
  assert.equal(parseListOptions({}).limit, undefined);
  for (const limit of ["0", "-1", "1.5", "ten", "99999999999999999999"]) {
    assert.throws(() => parseListOptions({ limit }), /Invalid --limit/);
  }
  assert.throws(() => parseListOptions({ role: " " }), /Invalid --role/);
});

Deno.test("isYes accepts y and yes in any case, nothing else", () => {
  for (const yes of ["y", "Y", "yes", "YES", " y "]) assert.equal(isYes(yes), true, yes);
  for (const no of ["", "n", "no", "yep", null]) assert.equal(isYes(no), false, String(no));
});

Deno.test("parseFields keeps the order, drops repeats, refuses -o id and names the valid fields", () => {
  assert.deepEqual(parseFields("email, id,email", USER_FIELDS, "json"), ["email", "id"]);
  assert.deepEqual(parseFields(undefined, USER_FIELDS, "json"), USER_FIELDS);
  assert.deepEqual(parseFields(undefined, USER_FIELDS, "id"), USER_FIELDS);
  assert.throws(
    () => parseFields("email", USER_FIELDS, "id"),
    /^ValidationError: Use --fields or --output id, not both$/,
  );
  assert.throws(() => parseFields("id,", USER_FIELDS, "csv"), /Invalid --fields "id,": an empty field name/);
  assert.throws(() => parseFields("name", USER_FIELDS, "csv"), ValidationError);
});
