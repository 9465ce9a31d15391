import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { addFlags } from "../../../flags/commander.ts";
import { addGlobalOptions } from "../../../session/flags.ts";
import { examplesHelp } from "../shared/examples_help.ts";
import { CREATE_FLAGS, LIST_FLAGS, REVOKE_FLAGS } from "./flags.ts";

const EXAMPLES = {
  create: [
    ["Create a key for CI that can manage users", "phyware api-keys create --name ci --scope admin:users"],
    [
      "Create a key that stops working in 90 days, as JSON",
      "phyware api-keys create --name laptop --scope admin:users --expires-in 90d -o json",
    ],
  ],
  list: [["List the keys you may see", "phyware api-keys list"]],
  revoke: [["Revoke a key", "phyware api-keys revoke key_abc123"]],
} as const;

/**
 * The `phyware api-keys` command group: create, list and revoke API keys. Each verb's module loads only when
 * that verb runs.
 */
export function apiKeysCommand(ctx: Context): CommandUnknownOpts {
  const keys = addGlobalOptions(new Command("api-keys"))
    .description("Create, list and revoke API keys")
    .configureHelp({
      showGlobalOptions: true,
      visibleGlobalOptions: (cmd) => cmd.parent?.parent ? cmd.parent.options.filter((o) => !o.hidden) : [],
    })
    .addHelpText(
      "after",
      examplesHelp([...EXAMPLES.create, ...EXAMPLES.list, ...EXAMPLES.revoke]) +
        "\nA key acts as the user who created it, with at most that user's scopes. With admin:users, list and\n" +
        "revoke see every key of the tenant; without it, the user's own keys only.\n",
    );

  addFlags(keys.command("create"), CREATE_FLAGS)
    .description("Create an API key for your user; the key is printed once, on stdout")
    .addHelpText("after", examplesHelp(EXAMPLES.create))
    .action(async (_, cmd) => {
      const verb = await import("./create.ts");
      await verb.runCreateKey(verb.parseCreateKeyOptions(cmd.optsWithGlobals()), ctx);
    });

  addFlags(keys.command("list"), LIST_FLAGS)
    .description("List API keys (with admin:users, every key of the tenant), never their secrets")
    .addHelpText("after", examplesHelp(EXAMPLES.list))
    .action(async (_, cmd) => {
      const verb = await import("./list.ts");
      await verb.runListKeys(verb.parseListKeysOptions(cmd.optsWithGlobals()), ctx);
    });

  addFlags(keys.command("revoke"), REVOKE_FLAGS)
    .description("Revoke an API key: it is refused from its next request on (irreversible)")
    .argument("<KEY_ID>", "the key's identifier, such as key_abc123")
    .addHelpText("after", examplesHelp(EXAMPLES.revoke))
    .action(async (id, _, cmd) => {
      const verb = await import("./revoke.ts");
      await verb.runRevokeKey(verb.parseRevokeKeyOptions(id, cmd.optsWithGlobals()), ctx);
    });

  return keys;
}
