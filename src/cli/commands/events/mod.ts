import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { addFlags } from "../../../flags/commander.ts";
import { addGlobalOptions } from "../../../session/flags.ts";
import { LIST_FLAGS } from "./flags.ts";
import { examplesHelp } from "../shared/examples_help.ts";

const EXAMPLES = [
  ["Events of the last hour", "phyware events list --since 1h"],
  ["Who deactivated users this week", "phyware events list --since 7d --action user.deactivated"],
  ["Print new events as they happen, until Ctrl-C", "phyware events list --follow"],
] as const;

/** The `phyware events` command group: the tenant's audit log (admin:users). */
export function eventsCommand(ctx: Context): CommandUnknownOpts {
  const events = addGlobalOptions(new Command("events"))
    .description("Read the tenant's audit log: who did what, when, from where")
    .configureHelp({
      showGlobalOptions: true,
      visibleGlobalOptions: (cmd) => cmd.parent?.parent ? cmd.parent.options.filter((o) => !o.hidden) : [],
    })
    .addHelpText("after", examplesHelp(EXAMPLES) + "\nNeeds an API key with the admin:users scope.\n");

  addFlags(events.command("list"), LIST_FLAGS)
    .description("List audit events, newest first; --follow prints new ones as they come")
    .addHelpText("after", examplesHelp(EXAMPLES))
    .action(async (_, cmd) => {
      const verb = await import("./list.ts");
      await verb.runListEvents(verb.parseListEventsOptions(cmd.optsWithGlobals()), ctx);
    });

  return events;
}
