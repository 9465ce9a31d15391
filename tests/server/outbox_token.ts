/** Reads invitation tokens from the .eml files a test server writes to its outbox. */
import { join } from "node:path";
import { delay } from "../../src/runtime/delay.ts";

/** The token of the newest invitation to `email` in `dir`, waiting up to 10 s for the file. */
export async function tokenFromOutbox(dir: string, email: string): Promise<string> {
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await delay(20)) {
    let entries: Deno.DirEntry[] = [];
    try {
      entries = [...Deno.readDirSync(dir)];
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error; // not written yet
    }
    let found: { mtime: number; token: string } | undefined;
    for (const entry of entries) {
      if (!entry.name.endsWith(".eml")) continue;
      const path = join(dir, entry.name);
      const text = await Deno.readTextFile(path);
      if (!new RegExp(`^To: .*${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "mi").test(text)) continue;
      const token = /phi_[0-9A-Za-z]+/.exec(text)?.[0];
      const mtime = (await Deno.stat(path)).mtime?.getTime() ?? 0;
      if (token && (!found || mtime >= found.mtime)) found = { mtime, token };
    }
    if (found) return found.token;
  }
  throw new Error(`No invitation to ${email} in ${dir}`);
}
