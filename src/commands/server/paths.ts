/** Where `phyware server` keeps its database and outbox by default. */
import os from "node:os";
import { dirname, join } from "node:path";
import type { Context } from "../../context.ts";
import { ValidationError } from "../../errors.ts";

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

/** The database path: --db, else `phyware.db` in the data directory. */
export function resolveDbPath(
  db: string | undefined,
  ctx: Pick<Context, "env" | "homeDir" | "platform">,
): string {
  if (db !== undefined) {
    if (db === "") throw new ValidationError('Invalid --db "": expected a file path or :memory:');
    return db;
  }
  return join(dataDir(ctx), "phyware.db");
}

/** The outbox: --outbox, else `outbox` beside the database; for `:memory:`, `phyware-outbox` in the temp dir. */
export function resolveOutboxDir(outbox: string | undefined, dbPath: string): string {
  if (outbox !== undefined) {
    if (outbox === "") throw new ValidationError('Invalid --outbox "": expected a directory path');
    return outbox;
  }
  return dbPath === ":memory:" ? join(os.tmpdir(), "phyware-outbox") : join(dirname(dbPath), "outbox");
}
