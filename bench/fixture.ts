/**
 * The benchmark database: tenants of 10, 10,000 and 100,000 users seeded straight into SQLite with the
 * store's own `seedUsers` (not through 100,000 invitations), each with its own admin:users API key.
 */
import { hashSecret, newSecret, SECRET_PREFIX } from "../src/server/ids.ts";
import { seedUsers, tenantIdByName } from "../src/server/store/seed.ts";
import { openSqliteStore } from "../src/server/store/sqlite.ts";

/** The id of a user given as its stored API JSON. */
function userIdOf(json: Uint8Array | undefined): string | undefined {
  return json === undefined ? undefined : (JSON.parse(new TextDecoder().decode(json)) as { id: string }).id;
}

/** A seeded tenant and how to call it. */
export interface BenchTenant {
  name: string;
  /** Users in the tenant, its admin included. */
  users: number;
  /** An admin:users API key (a throwaway made for this run; never printed). */
  apiKey: string;
  /** The id of one seeded (non-admin) user, for `users get`. */
  someUserId: string;
}

/** The tenants of one bench run. */
export interface Fixture {
  dbPath: string;
  /** Tenant the POST benchmark invites into (the bootstrap tenant "default"). */
  writes: BenchTenant;
  /** Tenants by size. */
  bySize: Map<number, BenchTenant>;
  seedMs: number;
}

/** Creates the database at `dbPath` (which must not exist) with one tenant per size. */
export async function createFixture(dbPath: string, sizes: readonly number[]): Promise<Fixture> {
  const started = performance.now();
  const store = openSqliteStore(dbPath);
  try {
    const now = new Date().toISOString();
    const writesKey = newSecret(SECRET_PREFIX.apiKey);
    await store.bootstrap({
      name: "default",
      adminEmail: "admin@default.invalid",
      apiKeyHash: hashSecret(writesKey),
      now,
    });
    const tenant = async (name: string, users: number): Promise<BenchTenant> => {
      const apiKey = newSecret(SECRET_PREFIX.apiKey);
      const created = await store.createTenant({
        name,
        adminEmail: `admin@${name}.invalid`,
        apiKeyHash: hashSecret(apiKey),
        now,
      });
      if (users > 1) seedUsers(dbPath, created.tenant.id, users - 1);
      const page = await store.listUsers({
        tenantId: created.tenant.id,
        status: undefined,
        role: undefined,
        afterSeq: 0,
        limit: 2,
      });
      const someUserId = userIdOf(page.json[1] ?? page.json[0]);
      if (someUserId === undefined) throw new Error(`Tenant "${name}" has no users after seeding`);
      return { name, users, apiKey, someUserId };
    };
    // The POST benchmark invites into the bootstrap tenant "default", whose key is the one made above.
    const defaultTenantId = tenantIdByName(dbPath, "default");
    if (defaultTenantId === undefined) throw new Error("The bootstrap tenant is missing");
    const admin = await store.listUsers({
      tenantId: defaultTenantId,
      status: undefined,
      role: undefined,
      afterSeq: 0,
      limit: 1,
    });
    const writes: BenchTenant = {
      name: "default",
      users: 1,
      apiKey: writesKey,
      someUserId: userIdOf(admin.json[0]) ?? "",
    };
    const bySize = new Map<number, BenchTenant>();
    for (const size of sizes) bySize.set(size, await tenant(`size-${size}`, size));
    return {
      dbPath,
      writes,
      bySize,
      seedMs: performance.now() - started,
    };
  } finally {
    await store.close();
  }
}
