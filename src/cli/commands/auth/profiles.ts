import type { Context } from "../../../context.ts";
import { createListWriter, type OutputFormat, useColor } from "../../../output/mod.ts";
import { yamlItems } from "../../../output/yaml.ts";
import { readConfig } from "../../../session/profiles.ts";

/** Lists saved profiles, names and URLs, never keys, marking the current one; `-o id` prints the names. */
export async function runProfiles(format: OutputFormat, ctx: Context): Promise<void> {
  const { config } = await readConfig(ctx);
  const rows = Object.entries(config.profiles).map(([name, profile]) => ({
    name,
    url: profile.url,
    current: name === config.current,
  }));
  const out = ctx.io.stdout;
  switch (format) {
    case "id":
      return await out.write(rows.map((r) => `${r.name}\n`).join(""));
    case "json":
      return await out.write(JSON.stringify(rows, null, 2) + "\n");
    case "ndjson":
      return await out.write(rows.map((r) => JSON.stringify(r) + "\n").join(""));
    case "yaml":
      return await out.write(rows.length === 0 ? "[]\n" : await yamlItems(rows));
  }
  const writer = createListWriter(out, {
    format,
    color: useColor(ctx.io.stdoutIsTerminal, ctx.env),
    terminal: ctx.io.stdoutIsTerminal,
    columns: ["name", "url", "current"],
  });
  // The table marks the current profile with "*"; CSV says true or false.
  const mark = (current: boolean) => format === "table" ? (current ? "*" : "") : String(current);
  await writer.page(rows.map((r) => ({ name: r.name, url: r.url, current: mark(r.current) })));
  await writer.end();
}
