import assert from "node:assert/strict";
import { columnKey, duplicateFinder, type InviteRow } from "./bulk_rows.ts";

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
  const finder = duplicateFinder();
  for (const row of rows) finder.check(row);
  assert.deepEqual(rows.map((row) => finder.duplicateOf(row) ?? null), [null, null, 2, null, 5, null, null]);
});
