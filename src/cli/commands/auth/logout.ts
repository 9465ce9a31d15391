import type { Context } from "../../../context.ts";
import { chooseProfile, namedProfile, noSuchProfile } from "../../../session/credentials.ts";
import { quoted } from "../../../errors.ts";
import { profileOf, updateConfig } from "../../../session/profiles.ts";

/** Parses the options of `auth logout`: --profile, when given (PHYCLOUD_PROFILE and current are run's). */
export function parseLogoutOptions(raw: { profile?: string }): string | undefined {
  return raw.profile;
}

/**
 * Removes one profile, and its key, from config.json: the one --profile or PHYCLOUD_PROFILE names, else the
 * current one, else `default`. Removing the current profile leaves none current.
 */
export async function runLogout(flag: string | undefined, ctx: Context): Promise<void> {
  const named = namedProfile(flag, ctx.env);
  const { path, result } = await updateConfig(ctx, (config, path) => {
    const chosen = chooseProfile(named, config);
    if (profileOf(config, chosen.name) === undefined) throw noSuchProfile(chosen, path, config);
    delete config.profiles[chosen.name];
    const wasCurrent = config.current === chosen.name;
    if (wasCurrent) config.current = null;
    return { name: chosen.name, wasCurrent };
  });
  const after = result.wasCurrent ? "; no profile is current now (phyware auth switch NAME chooses one)" : "";
  await ctx.io.stderr.write(`Removed profile ${quoted(result.name)} from ${path}${after}\n`);
}
