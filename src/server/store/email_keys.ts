/**
 * Bringing stored uniqueness keys up to the current `emailKey` rule, once per database: keys written
 * before the domain was folded to its A-label form keep `münchen.example` where new keys say
 * `xn--mnchen-3ya.example`, and the unique index would let both in.
 */
import type { DatabaseSync } from "node:sqlite";
import { emailKey } from "../../email/key.ts";
import { integer, text } from "./row.ts";

/** The version of `emailKey` the stored keys follow (recorded in `meta`). */
export const EMAIL_KEY_RULE = "2";

/** Whether the stored keys already follow EMAIL_KEY_RULE (then `rekeyEmails` has nothing to do). */
export function emailKeysCurrent(db: DatabaseSync): boolean {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'email_key_rule'").get();
  return row !== undefined && text(row, "value") === EMAIL_KEY_RULE;
}

/** Recomputes every key that differs from `emailKey(email)`; run inside a write transaction. */
export function rekeyEmails(db: DatabaseSync): void {
  if (emailKeysCurrent(db)) return; // another process did it while this one waited for the lock
  const update = db.prepare("UPDATE users SET email_key = ? WHERE seq = ?");
  for (const row of db.prepare("SELECT seq, email, email_key FROM users").all()) {
    const key = emailKey(text(row, "email"));
    if (key === text(row, "email_key")) continue;
    try {
      update.run(key, integer(row, "seq"));
    } catch (error) {
      // Two live users that the new rule calls one mailbox: both stay, under their old keys.
      if (!(error instanceof Error && error.message.includes("UNIQUE constraint failed"))) throw error;
    }
  }
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('email_key_rule', ?)").run(EMAIL_KEY_RULE);
}
