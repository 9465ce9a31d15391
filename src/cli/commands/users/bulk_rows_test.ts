import assert from "node:assert/strict";
import { columnKey, duplicateFinder, type IdRow, type InviteRow, mailboxOf } from "./bulk_rows.ts";

Deno.test("columnKey: case, spaces, _ and - and a bracketed suffix do not count", () => {
  const names = [
    "Email",
    "E-mail",
    "email address",
    "Email_Address",
    "Email Address [Required]",
    "Primary Email",
  ];
  assert.deepEqual(names.map(columnKey), [
    "email",
    "email",
    "emailaddress",
    "emailaddress",
    "emailaddress",
    "primaryemail",
  ]);
});

Deno.test("duplicateFinder: the same mailbox by case, NFC and IDN is a duplicate of its first line, in order", () => {
  const rows: InviteRow[] = [
    "Ann@Example.com",
    "bob@example.com",
    "ann@example.com",
    "z\u00fcri@m\u00fcnchen.example",
    "zu\u0308ri@xn--mnchen-3ya.example",
    "not an email",
    "not an email",
  ].map((email, i) => ({ line: i + 2, email, role: undefined }));
  const finder = duplicateFinder(mailboxOf);
  for (const row of rows) finder.check(row);
  assert.deepEqual(rows.map((row) => finder.duplicateOf(row) ?? null), [null, null, 2, null, 5, null, null]);
});

Deno.test("duplicateFinder: by any key (ids compared exactly); repeats counts the rows that repeat one", () => {
  const rows = ["usr_a", "usr_A", "usr_a", "usr_b", "usr_a", "usr_b"].map((id, i) => ({ line: i + 1, id }));
  const finder = duplicateFinder((row: IdRow) => row.id);
  for (const row of rows) finder.check(row);
  assert.equal(finder.repeats, 3);
  assert.deepEqual(rows.map((row) => finder.duplicateOf(row) ?? null), [null, null, 1, null, 1, 4]);
});
