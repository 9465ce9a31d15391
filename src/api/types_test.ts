import assert from "node:assert/strict";
import { parseProblem, parseUserDetails, parseUserPage, WireFormatError } from "./types.ts";

const user = {
  id: "usr_abc",
  email: "a@example.com",
  status: "pending",
  role: "member",
  created_at: "2026-11-27T00:00:00.000Z",
  invited_by: "usr_admin",
  activated_at: null,
  deactivated_at: null,
};

Deno.test("parseUserDetails keeps exactly the known fields", () => {
  assert.deepEqual(parseUserDetails({ ...user, extra: "ignored" }), user);
});

Deno.test("parseUserDetails rejects what would be unsafe to print or to pass on", async (t) => {
  const cases: Array<[string, unknown]> = [
    ["an id with a line break (two ids for xargs)", { ...user, id: "usr_a\nusr_victim" }],
    ["an id with a space", { ...user, id: "usr a" }],
    ["an empty id", { ...user, id: "" }],
    ["an unknown status", { ...user, status: "deleted" }],
    ["a missing email", { ...user, email: undefined }],
    ["not an object", [user]],
  ];
  for (const [name, value] of cases) {
    await t.step(name, () => assert.throws(() => parseUserDetails(value), WireFormatError));
  }
});

Deno.test("parseUserPage needs data and a string or null cursor", () => {
  assert.deepEqual(parseUserPage({ data: [user], next_cursor: null }), { data: [user], next_cursor: null });
  assert.throws(() => parseUserPage({ data: [user], next_cursor: 5 }), WireFormatError);
  assert.throws(() => parseUserPage({ items: [] }), WireFormatError);
});

Deno.test("parseProblem reads RFC 9457 bodies and ignores others", () => {
  assert.deepEqual(
    parseProblem({ title: "Conflict", status: 409, detail: "Email already exists", code: "CONFLICT" }),
    {
      title: "Conflict",
      status: 409,
      detail: "Email already exists",
      code: "CONFLICT",
    },
  );
  assert.equal(parseProblem("<html>"), undefined);
  assert.equal(parseProblem({ status: 500 }), undefined);
});
