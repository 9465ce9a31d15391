import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../context.ts";
import { deactivateCommand } from "./deactivate.ts";
import { EXAMPLES, examplesHelp } from "./examples.ts";
import { getCommand } from "./get.ts";
import { inviteCommand } from "./invite.ts";
import { listCommand } from "./list.ts";

/** The `phyware users` command group. */
export function usersCommand(ctx: Context): CommandUnknownOpts {
  return new Command("users")
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
