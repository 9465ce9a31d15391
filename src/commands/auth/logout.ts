import type { Context } from "../../context.ts";
import { quoted, ValidationError } from "../../errors.ts";
import { readConfig, writeConfig } from "../../profiles.ts";

export { parseProfileOption } from "./login.ts";

/** Removes one profile, and its key, from config.json. */
export async function runLogout(profile: string, ctx: Context): Promise<void> {
  const { path, config } = await readConfig(ctx);
  if (!(profile in config.profiles)) {
    throw new ValidationError(`No profile ${quoted(profile)} in ${path}`, {
      remediation: "See phyware auth profiles",
    });
  }
  delete config.profiles[profile];
  await writeConfig(ctx, path, config);
  await ctx.io.stderr.write(`Removed profile ${quoted(profile)} from ${path}\n`);
}
