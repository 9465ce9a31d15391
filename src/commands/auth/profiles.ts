import type { Context } from "../../context.ts";
import { createListWriter, type OutputFormat, useColor } from "../../output/mod.ts";
import { readConfig } from "../../profiles.ts";

/** Lists saved profiles, names and URLs, never keys; `-o id` prints the names. */
export async function runProfiles(format: OutputFormat, ctx: Context): Promise<void> {
  const { config } = await readConfig(ctx);
  const rows = Object.entries(config.profiles).map(([name, profile]) => ({ name, url: profile.url }));
  if (format === "id") return await ctx.io.stdout.write(rows.map((r) => `${r.name}\n`).join(""));
  const writer = createListWriter(ctx.io.stdout, {
    format,
    color: useColor(ctx.io.stdoutIsTerminal, ctx.env),
    columns: ["name", "url"],
  });
  await writer.page(rows);
  await writer.end();
}
