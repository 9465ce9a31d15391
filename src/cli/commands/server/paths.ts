/** Where `phyware server` keeps its database and outbox by default. */
import os from "node:os";
import { dirname, join } from "node:path";
import type { Context } from "../../../context.ts";
import { ValidationError } from "../../../errors.ts";
import { DATABASE_URL_SCHEMES, databaseUrlScheme } from "../../../server/store/database_url.ts";

/** The per-user data directory of phyware: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows. */
export function dataDir(ctx: Pick<Context, "env" | "homeDir" | "platform">): string {
  const home = ctx.homeDir;
  const need = (): string => {
    if (home === undefined) {
      throw new ValidationError("Cannot find a data directory for the database: pass --db PATH", {
        remediation: "Pass --db PATH, or set HOME",
      });
    }
    return home;
  };
  if (ctx.platform === "win32") {
    return join(ctx.env.LOCALAPPDATA || join(need(), "AppData", "Local"), "phyware");
  }
  if (ctx.platform === "darwin") return join(need(), "Library", "Application Support", "phyware");
  return join(ctx.env.XDG_DATA_HOME || join(need(), ".local", "share"), "phyware");
}

function checkScheme(value: string, source: string): string {
  const scheme = databaseUrlScheme(value);
  if (scheme === undefined || DATABASE_URL_SCHEMES.includes(scheme)) return value;
  // Only the scheme is echoed: the rest of a URL may hold a password.
  throw new ValidationError(
    `Invalid ${source}: ${scheme}:// is not a database phyware serves; use a postgres:// (or postgresql://) ` +
      "URL, or a SQLite file path",
  );
}

/**
 * The database: --db, else PHYCLOUD_DATABASE_URL, else `phyware.db` in the data directory. A value written
 * as a URL (`scheme://...`) must have a scheme phyware serves; anything else is a SQLite file path.
 */
export function resolveDbPath(
  db: string | undefined,
  ctx: Pick<Context, "env" | "homeDir" | "platform">,
): string {
  if (db !== undefined) {
    if (db === "") {
      throw new ValidationError('Invalid --db "": expected a file path, :memory: or a postgres:// URL');
    }
    return checkScheme(db, "--db");
  }
  const fromEnv = ctx.env.PHYCLOUD_DATABASE_URL;
  if (fromEnv) return checkScheme(fromEnv, "PHYCLOUD_DATABASE_URL");
  return join(dataDir(ctx), "phyware.db");
}

/**
 * The outbox: --outbox, else `outbox` beside the database; for `:memory:` and a database server,
 * `phyware-outbox` in the temp dir.
 */
export function resolveOutboxDir(outbox: string | undefined, dbPath: string): string {
  if (outbox !== undefined) {
    if (outbox === "") throw new ValidationError('Invalid --outbox "": expected a directory path');
    return outbox;
  }
  return dbPath === ":memory:" || databaseUrlScheme(dbPath) !== undefined
    ? join(os.tmpdir(), "phyware-outbox")
    : join(dirname(dbPath), "outbox");
}
