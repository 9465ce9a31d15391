/**
 * Test and benchmark helpers that write straight to a database file: thousands of users in one transaction
 * (not through thousands of invitations), and tenant look-ups by name. The service never imports this.
 */
import { DatabaseSync } from "node:sqlite";
import type { Role, UserStatus } from "../../wire/mod.ts";
import { emailKey } from "../../email/key.ts";
import { newId, randomBase62 } from "../ids.ts";
import { text } from "./row.ts";
import { transaction } from "./transaction.ts";

/** Options of `seedUsers`. */
export interface SeedOptions {
  /** Status of every seeded user (default "active"). */
  status?: UserStatus;
  /** Role of every seeded user (default "member"). */
  role?: Role;
  /** Domain of the seeded emails (default "seed.example"). */
  emailDomain?: string;
}

function withDatabase<T>(dbPath: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(dbPath);
  try {
    db.exec("PRAGMA busy_timeout = 5000");
    return fn(db);
  } finally {
    db.close();
  }
}

/** Inserts `count` users into a tenant of the database at `dbPath`, in one transaction. */
export function seedUsers(dbPath: string, tenantId: string, count: number, options: SeedOptions = {}): void {
  const status = options.status ?? "active";
  const role = options.role ?? "member";
  const domain = options.emailDomain ?? "seed.example";
  const batch = randomBase62(8).toLowerCase();
  const now = new Date().toISOString();
  const activatedAt = status === "pending" ? null : now;
  withDatabase(dbPath, (db) => {
    const insert = db.prepare(
      `INSERT INTO users (id, tenant_id, email, email_key, status, role, created_at, activated_at, deactivated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    transaction(db, () => {
      for (let i = 0; i < count; i++) {
        const email = `user${i}-${batch}@${domain}`;
        insert.run(
          newId("usr"),
          tenantId,
          email,
          emailKey(email),
          status,
          role,
          now,
          activatedAt,
          status === "inactive" ? now : null,
        );
      }
    });
  });
}

/** The id of the tenant called `name` in the database at `dbPath`, or undefined. */
export function tenantIdByName(dbPath: string, name: string): string | undefined {
  return withDatabase(dbPath, (db) => {
    const row = db.prepare("SELECT id FROM tenants WHERE name = ?").get(name);
    return row ? text(row, "id") : undefined;
  });
}
