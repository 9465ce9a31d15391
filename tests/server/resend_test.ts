import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { testService } from "./service.ts";

const ACCEPT = "/v1/invitations/accept";

/** Every byte of the database and its WAL, as text: what a thief of the files would read. */
async function databaseText(dbPath: string): Promise<string> {
  let text = "";
  for (const file of [dbPath, `${dbPath}-wal`]) {
    try {
      text += new TextDecoder("latin1").decode(await Deno.readFile(file));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return text;
}

Deno.test("the invitation email is queued in the user's transaction, and no usable token is stored", async () => {
  await using s = await testService();
  const r = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "queued@example.com" },
  });
  assert.equal(r.status, 201);
  await s.service.mailIdle();
  const token = s.mails[0]?.token ?? "";
  assert.match(token, /^phi_/);
  const db = new DatabaseSync(s.dbPath);
  try {
    const rows = db.prepare(
      `SELECT o.state, o.attempts FROM invitation_outbox o JOIN invitations i ON i.id = o.invitation_id
       WHERE i.user_id = ?`,
    ).all(r.body.id);
    assert.deepEqual(rows.map((row) => ({ ...row })), [{ state: "sent", attempts: 1 }]);
  } finally {
    db.close();
  }
  assert.ok(!(await databaseText(s.dbPath)).includes(token.slice(4)), "the token is nowhere in the files");
  assert.equal((await s.call("POST", ACCEPT, { json: { token } })).status, 200, "the mailed token works");
});

Deno.test("POST /v1/users/{id}/invitation sends a new token and the previous one stops working", async () => {
  await using s = await testService();
  const invited = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: s.apiKey,
    json: { email: "again@example.com" },
  });
  await s.service.mailIdle();
  const first = s.mails[0]?.token ?? "";
  const resent = await s.callJson<{ id: string; status: string; email: string }>(
    "POST",
    `/v1/users/${invited.body.id}/invitation`,
    { token: s.apiKey },
  );
  assert.equal(resent.status, 200);
  assert.equal(resent.body.id, invited.body.id);
  assert.equal(resent.body.status, "pending");
  await s.service.mailIdle();
  assert.equal(s.mails.length, 2, "a new email");
  assert.equal(s.mails[1]?.to, "again@example.com");
  const second = s.mails[1]?.token ?? "";
  assert.notEqual(second, first);
  const old = await s.callJson<{ detail: string }>("POST", ACCEPT, { json: { token: first } });
  assert.equal(old.status, 400, "the previous token stopped working");
  assert.equal((await s.call("POST", ACCEPT, { json: { token: second } })).status, 200);
  assert.ok(!(await databaseText(s.dbPath)).includes(second.slice(4)));
});

Deno.test("resending: 409 unless pending, 404 for another tenant's or an unknown user, 403 without scope", async () => {
  await using s = await testService();
  const { id: activeId } = await s.onboard("active@example.com");
  const conflict = await s.callJson<{ code: string; detail: string }>(
    "POST",
    `/v1/users/${activeId}/invitation`,
    { token: s.apiKey },
  );
  assert.equal(conflict.status, 409);
  assert.equal(conflict.body.code, "CONFLICT");
  assert.equal(conflict.body.detail, "User is active: only a pending user's invitation can be resent");
  const deactivated = await s.call("POST", `/v1/users/${activeId}/deactivate`, { token: s.apiKey });
  assert.equal(deactivated.status, 200);
  assert.equal(
    (await s.call("POST", `/v1/users/${activeId}/invitation`, { token: s.apiKey })).status,
    409,
    "inactive",
  );
  const other = await s.createTenant("other");
  const theirs = await s.callJson<{ id: string }>("POST", "/v1/users", {
    token: other.apiKey,
    json: { email: "theirs@example.com" },
  });
  await s.service.mailIdle();
  const mailsBefore = s.mails.length;
  const foreign = await s.callJson<{ code: string }>("POST", `/v1/users/${theirs.body.id}/invitation`, {
    token: s.apiKey,
  });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.code, "NOT_FOUND");
  assert.equal((await s.call("POST", "/v1/users/usr_nope/invitation", { token: s.apiKey })).status, 404);
  const member = await s.onboard("member@example.com");
  assert.equal(
    (await s.call("POST", `/v1/users/${theirs.body.id}/invitation`, { token: member.session })).status,
    403,
  );
  assert.equal(
    (await s.call("GET", `/v1/users/${theirs.body.id}/invitation`, { token: s.apiKey })).status,
    405,
  );
  await s.service.mailIdle();
  assert.equal(s.mails.length, mailsBefore + 1, "only the member's own invitation was mailed");
});
