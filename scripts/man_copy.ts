#!/usr/bin/env -S deno run -A
/**
 * Writes the `phyware users` man pages into docs/man/ (`deno task man-copy`): the repository's copy of what
 * `man phyware-users` shows, generated from the command tree as the release kit's pages are.
 * tests/man_copy_test.ts fails when the copy is stale. The date on the .TH line is that of the day it was written.
 */
import { join } from "node:path";
import { VERSION } from "../src/version.ts";
import { releaseProgram } from "./release/docs.ts";
import { manPages } from "./release/man_page.ts";

/** The folder of the copy, from the repository's root. */
export const MAN_COPY_DIR = "docs/man";

/** The pages of the copy: `phyware-users.1` and one per users verb, with their text. */
export function usersManPages(epochSeconds: number): Array<{ name: string; text: string }> {
  return manPages(releaseProgram(), VERSION, epochSeconds).filter((page) =>
    page.name.startsWith("phyware-users")
  );
}

if (import.meta.main) {
  const root = new URL("../", import.meta.url).pathname;
  const dir = join(root, MAN_COPY_DIR);
  for (const entry of Deno.readDirSync(dir)) {
    if (entry.name.endsWith(".1")) Deno.removeSync(join(dir, entry.name));
  }
  for (const page of usersManPages(Math.floor(Date.now() / 1000))) {
    Deno.writeTextFileSync(join(dir, page.name), page.text);
  }
  console.log(`Wrote ${MAN_COPY_DIR}/phyware-users*.1`);
}
