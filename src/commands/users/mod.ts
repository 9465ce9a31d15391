import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../context.ts";
import { deactivateCommand } from "./deactivate.ts";
import { EXAMPLES, examplesHelp } from "./examples.ts";
import { getCommand } from "./get.ts";
import { inviteCommand } from "./invite.ts";
import { listCommand } from "./list.ts";
import { addGlobalOptions } from "../global_options.ts";

/** The `phyware users` command group. */
export function usersCommand(ctx: Context): CommandUnknownOpts {
  // The global options may also stand before the verb; positional parsing keeps them apart from the verb's.
  return addGlobalOptions(new Command("users"))
    .enablePositionalOptions()
    .description("Invite, list, retrieve, and deactivate users")
    .addCommand(inviteCommand(ctx))
    .addCommand(listCommand(ctx))
    .addCommand(getCommand(ctx))
    .addCommand(deactivateCommand(ctx))
    .addHelpText(
      "after",
      examplesHelp([...EXAMPLES.invite, ...EXAMPLES.list, ...EXAMPLES.get, ...EXAMPLES.deactivate]) +
        "\nEvery verb needs an API key with the admin:users scope.\n",
    );
}
