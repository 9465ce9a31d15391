import type { Context } from "../../context.ts";
import { quoted, ValidationError } from "../../errors.ts";
import { parseProfileOption, readConfig, writeConfig } from "../../profiles.ts";

/** Parses the options of `auth logout`: the profile to remove. */
export function parseLogoutOptions(raw: { profile?: string }, ctx: Pick<Context, "env">): string {
  return parseProfileOption(raw.profile, ctx);
}

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
