import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { addFlags } from "../../../flags/commander.ts";
import { addGlobalOptions } from "../../../session/flags.ts";
import { LOGIN_FLAGS, LOGOUT_FLAGS, PROFILES_FLAGS } from "./flags.ts";
import { examplesHelp } from "../shared/examples_help.ts";

/** Examples of the auth verbs, shown by their --help and by `phyware schema`. */
export const AUTH_EXAMPLES = {
  status: [
    ["Show who the key belongs to and where the URL and key came from", "phyware auth status"],
    ["The same, for a program", "phyware whoami -o json"],
  ],
  login: [
    [
      "Save a key for a service, typed at a hidden prompt",
      "phyware auth login --url https://phycloud.example",
    ],
    [
      "Save a key from a secret store, as profile ci",
      "vault read -field=key secret/phy | phyware auth login --profile ci",
    ],
  ],
  logout: [["Forget the profile ci", "phyware auth logout --profile ci"]],
  switch: [["Use the saved profile acme from now on", "phyware auth switch acme"]],
  profiles: [["List saved profiles (never their keys), the current one marked", "phyware auth profiles"]],
} as const;

/** `auth status`, also reachable as `phyware whoami`: the same command under two names. */
export function statusCommand(ctx: Context, name: "status" | "whoami"): CommandUnknownOpts {
  return addGlobalOptions(new Command(name))
    .description("Show the URL, tenant, user and credential in use, and where the URL and key came from")
    .addHelpText("after", examplesHelp(AUTH_EXAMPLES.status))
    .action(async (options) => {
      const verb = await import("./status.ts");
      await verb.runStatus(verb.parseStatusOptions(options), ctx);
    });
}

/** The `phyware auth` group: status, login, logout and profiles; each verb's module loads when it runs. */
export function authCommand(ctx: Context): CommandUnknownOpts {
  const auth = new Command("auth")
    .description("Check the API key in use, save keys in profiles, and choose the current profile")
    .addHelpText(
      "after",
      examplesHelp([...AUTH_EXAMPLES.status, ...AUTH_EXAMPLES.login, ...AUTH_EXAMPLES.profiles]),
    );
  auth.addCommand(statusCommand(ctx, "status"));

  addFlags(auth.command("login"), LOGIN_FLAGS)
    .description(
      "Check an API key, save it with its URL in a profile (config.json, mode 0600), and make that profile current",
    )
    .addHelpText(
      "after",
      "\nThe key is read at a hidden prompt on a terminal, else from standard input (its first line).\n" +
        examplesHelp(AUTH_EXAMPLES.login),
    )
    .action(async (options) => {
      const verb = await import("./login.ts");
      await verb.runLogin(verb.parseLoginOptions(options, ctx), ctx);
    });

  addFlags(auth.command("logout"), LOGOUT_FLAGS)
    .description("Remove a saved profile and its key (the current one unless --profile names another)")
    .addHelpText("after", examplesHelp(AUTH_EXAMPLES.logout))
    .action(async (options) => {
      const verb = await import("./logout.ts");
      await verb.runLogout(verb.parseLogoutOptions(options), ctx);
    });

  auth.command("switch")
    .description(
      "Make a saved profile the current one, used when neither --profile nor PHYCLOUD_PROFILE names one",
    )
    .argument("<name>", "a saved profile (see phyware auth profiles)")
    .addHelpText("after", examplesHelp(AUTH_EXAMPLES.switch))
    .action(async (name) => {
      const verb = await import("./switch.ts");
      await verb.runSwitch(verb.parseSwitchName(name), ctx);
    });

  addFlags(auth.command("profiles"), PROFILES_FLAGS)
    .description("List saved profiles: names, URLs and which is current, never keys")
    .addHelpText("after", examplesHelp(AUTH_EXAMPLES.profiles))
    .action(async (options) => {
      const verb = await import("./profiles.ts");
      await verb.runProfiles(options.output ?? "table", ctx);
    });
  return auth;
}
