/** `phyware server tenant create NAME`: a tenant with its own admin user and API key. */
import { Command } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { PhywareError, quoted, ValidationError } from "../../../errors.ts";
import { parseEmail } from "../../../arguments/email.ts";
import { DatabaseBusyError } from "../../../server/store/lock_wait.ts";
import { TenantExistsError } from "../../../server/store/types.ts";
import { databaseOpenProblem } from "./database_error.ts";
import { resolveDbPath } from "./paths.ts";
import { TENANT_CREATE_FLAGS } from "./flags.ts";
import { addFlags } from "../../../flags/commander.ts";

/** Settings of `server tenant create`. */
export interface TenantCreateOptions {
  name: string;
  dbPath: string;
  adminEmail: string;
  output: "text" | "json";
}

const TENANT_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Turns the arguments into settings; throws ValidationError on bad input. */
export function parseTenantCreateArgs(
  name: string,
  raw: { db?: string | undefined; adminEmail?: string | undefined; output: string },
  ctx: Pick<Context, "env" | "homeDir" | "platform">,
): TenantCreateOptions {
  if (!TENANT_NAME.test(name)) {
    throw new ValidationError(
      `Invalid tenant name ${quoted(name)}: use 1 to 63 lowercase letters, digits and inner hyphens`,
    );
  }
  return {
    name,
    dbPath: resolveDbPath(raw.db, ctx),
    adminEmail: parseEmail(raw.adminEmail ?? `admin@${name}.invalid`, "--admin-email"),
    output: raw.output === "json" ? "json" : "text",
  };
}

/** Creates the tenant, its active admin user and an admin:users key, and prints the key once. */
export async function runTenantCreate(options: TenantCreateOptions, ctx: Context): Promise<void> {
  // SQLite and crypto load only here, so the client commands never pay for them.
  const [{ DatabaseOpenError, openStore }, { hashSecret, newSecret, SECRET_PREFIX }] = await Promise.all([
    import("../../../server/store/open.ts"),
    import("../../../server/ids.ts"),
  ]);
  // A one-off command may wait longer than a request for another process's lock.
  let store;
  try {
    store = await openStore(options.dbPath, { lockWaitMs: 5000 });
  } catch (error) {
    if (error instanceof DatabaseOpenError) throw databaseOpenProblem(error);
    throw error;
  }
  const key = newSecret(SECRET_PREFIX.apiKey);
  let created;
  try {
    created = await store.createTenant({
      name: options.name,
      adminEmail: options.adminEmail,
      apiKeyHash: hashSecret(key),
      now: ctx.now().toISOString(),
    });
  } catch (error) {
    if (error instanceof TenantExistsError) {
      throw new ValidationError(error.message, {
        code: "CONFLICT",
        remediation: "Choose another tenant name",
      });
    }
    if (error instanceof DatabaseBusyError) {
      throw new PhywareError(`Cannot create tenant in ${quoted(options.dbPath)}: ${error.message}`, {
        code: "DATABASE_BUSY",
        remediation: "Retry once the other process (a running server's write, a backup) lets go of the lock",
      });
    }
    throw error;
  } finally {
    await store.close();
  }
  if (options.output === "json") {
    const { id, name, createdAt } = created.tenant;
    const tenantJson = { id, name, created_at: createdAt };
    await ctx.io.stdout.write(
      `${JSON.stringify({ tenant: tenantJson, api_key: key }, null, 2)}\n`,
    );
    return;
  }
  await ctx.io.stdout.write(
    `Created tenant ${
      quoted(created.tenant.name)
    } (${created.tenant.id}) with admin ${created.admin.email}\n` +
      `API key (shown once, keep it): ${key}\n`,
  );
}

/** The `tenant` group with its `create` verb. */
export function tenantCommand(ctx: Context): Command {
  const create = addFlags(new Command("create"), TENANT_CREATE_FLAGS)
    .description("Create a tenant with its own admin user and admin:users API key (printed once)")
    .argument("<name>", "tenant name: lowercase letters, digits and hyphens")
    .action(async (name, raw) => {
      await runTenantCreate(parseTenantCreateArgs(name, raw, ctx), ctx);
    });
  return new Command("tenant").description("Manage tenants of the local database").addCommand(create);
}
