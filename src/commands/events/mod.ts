import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { EVENT_ACTIONS } from "../../api/types.ts";
import type { Context } from "../../context.ts";
import { addGlobalOptions } from "../global_flags.ts";
import { examplesHelp } from "../users/examples.ts";

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

  events.command("list")
    .description("List audit events, newest first; --follow prints new ones as they come")
    .option("--since <span>", "only events of the last span, such as 30m, 1h, 7d")
    .addOption(new Option("--action <action>", "only this action").choices(EVENT_ACTIONS))
    .option("--actor <id>", "only events by this user (usr_...) or credential (key_..., ses_...)")
    .option("--target <id>", "only events about this user, key or tenant")
    .option("--limit <n>", "stop after this many events")
    .option("--follow", "keep polling and print new events as they come, until interrupted (Ctrl-C)")
    .option("--interval <duration>", 'how often --follow polls, such as 2s or 500ms (default: "2s")')
    .option(
      "--fields <list>",
      "comma-separated fields to print, in order: id, time, action, actor_user_id, actor_credential_id, " +
        "target, client_address, count, request_id, tenant_id, details (not with -o id)",
    )
    .addHelpText("after", examplesHelp(EXAMPLES))
    .action(async (_, cmd) => {
      const verb = await import("./list.ts");
      await verb.runListEvents(verb.parseListEventsOptions(cmd.optsWithGlobals()), ctx);
    });

  return events;
}
