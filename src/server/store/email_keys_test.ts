import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { tempDir } from "../../../tests/support/temp_dir.ts";
import { hashSecret, newSecret } from "../ids.ts";
import { openSqliteStore } from "./sqlite.ts";
import { EmailTakenError } from "./types.ts";

Deno.test("opening a database keyed by the old rule moves IDN domains to their A-label, once", async () => {
  await using dir = await tempDir();
  const db = join(dir.path, "phyware.db");
  const store = openSqliteStore(db);
  const now = new Date().toISOString();
  const { tenant, admin } = await store.createTenant({
    name: "acme",
    adminEmail: "admin@acme.test",
    apiKeyHash: hashSecret(newSecret("phy_")),
    now,
  });
  const invitation = (email: string) => ({
    tenantId: tenant.id,
    email,
    role: "member" as const,
    invitedBy: admin.id,
    tokenHash: crypto.randomUUID(),
    now,
    expiresAt: now,
  });
  await store.inviteUser(invitation("z@m\u00fcnchen.example"));
  await store.close();
  // As an older phyware left it: the key kept the Unicode domain, and no rule version is recorded.
  const raw = new DatabaseSync(db);
  raw.exec("UPDATE users SET email_key = 'z@m\u00fcnchen.example' WHERE email = 'z@m\u00fcnchen.example'");
  raw.exec("DELETE FROM meta WHERE key = 'email_key_rule'");
  raw.close();

  const reopened = openSqliteStore(db);
  try {
    await assert.rejects(reopened.inviteUser(invitation("z@xn--mnchen-3ya.example")), EmailTakenError);
  } finally {
    await reopened.close();
  }
  using check = new DatabaseSync(db);
  const keys = check.prepare("SELECT email_key FROM users WHERE email LIKE 'z@%'").all();
  assert.deepEqual(keys.map((row) => row.email_key), ["z@xn--mnchen-3ya.example"]);
  assert.deepEqual({ ...check.prepare("SELECT value FROM meta WHERE key = 'email_key_rule'").get() }, {
    value: "2",
  });
});
