import type { Context } from "../../../context.ts";
import { noSuchProfile } from "../../../session/credentials.ts";
import { quoted } from "../../../errors.ts";
import { parseProfileName, profileOf, updateConfig } from "../../../session/profiles.ts";

/** Parses NAME of `auth switch`. */
export function parseSwitchName(raw: string): string {
  return parseProfileName(raw, "NAME");
}

/** Makes a saved profile the current one (config.json's `current`), used when no --profile names one. */
export async function runSwitch(name: string, ctx: Context): Promise<void> {
  const { path, result } = await updateConfig(ctx, (config, path) => {
    const profile = profileOf(config, name);
    if (profile === undefined) throw noSuchProfile({ name, reason: "flag" }, path, config);
    config.current = name;
    return profile.url;
  });
  await ctx.io.stderr.write(`Switched to profile ${quoted(name)} (${result}) in ${path}\n`);
  if (ctx.env.PHYCLOUD_PROFILE && ctx.env.PHYCLOUD_PROFILE !== name) {
    await ctx.io.stderr.write(
      `note: PHYCLOUD_PROFILE=${ctx.env.PHYCLOUD_PROFILE} is set and still wins over the current profile\n`,
    );
  }
}
