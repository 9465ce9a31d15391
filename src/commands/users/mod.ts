import { Command, type CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { STATUSES } from "../../api/types.ts";
import type { Context } from "../../context.ts";
import { ValidationError } from "../../errors.ts";
import { addGlobalOptions } from "../global_flags.ts";
import { EXAMPLES, examplesHelp } from "./examples.ts";
import { getVerb, listVerb } from "./fast.ts";

const FIELDS_HELP = "comma-separated fields to print, in order: id, email, status, role, created_at, " +
  "invited_by, activated_at, deactivated_at (not with -o id)";

/** --concurrency and --max-wait are checked whatever the number of rows (one --email too). */
async function checkBulkFlags(options: { concurrency?: string; maxWait?: string }): Promise<void> {
  if (options.concurrency === undefined && options.maxWait === undefined) return;
  const { parseConcurrency, parseMaxWait } = await import("./bulk_run.ts");
  parseConcurrency(options.concurrency);
  parseMaxWait(options.maxWait);
}

/**
 * The `phyware users` command group: each verb's arguments, options and help, and an action that imports the
 * verb's module (parse and run) only when that verb runs, so start-up never pays for the verbs not used.
 */
export function usersCommand(ctx: Context): CommandUnknownOpts {
  // Declared once here; commander also takes them after the verb, and each verb reads them with
  // optsWithGlobals(). Help lists them under "Global Options".
  const users = addGlobalOptions(new Command("users"))
    .description("Invite, list, retrieve, and deactivate users")
    .configureHelp({
      showGlobalOptions: true,
      // A verb's "Global Options" are the group's; the program's own --version is listed at the top only.
      visibleGlobalOptions: (cmd) => cmd.parent?.parent ? cmd.parent.options.filter((o) => !o.hidden) : [],
    })
    .addHelpText(
      "after",
      examplesHelp([...EXAMPLES.invite, ...EXAMPLES.list, ...EXAMPLES.get, ...EXAMPLES.deactivate]) +
        "\nEvery verb needs an API key with the admin:users scope.\n",
    );

  users.command("invite")
    .description("Send an invitation email to a new user and create a pending user record")
    .option(
      "--email <email>",
      "email address of the user to invite; repeat it to invite several",
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option("--from-file <path>", 'invite every row of a CSV (email[,role]) or NDJSON file, "-" for stdin')
    .option("--concurrency <n>", "most invitations in flight at once with several rows, 1 to 16 (default: 4)")
    .option(
      "--max-wait <duration>",
      "longest a row waits out the server's rate limits, such as 5m (default: no limit)",
    )
    .option(
      "--email-column <name>",
      "the --from-file column that holds the email (when it is not found by name)",
    )
    .option("--role-column <name>", "the --from-file column that holds the role")
    .option(
      "--role <role>",
      "role of the new user: member or admin (the server decides which it accepts)",
      "member",
    )
    .option("--dry-run", "print the request that would be sent, and send nothing")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText("after", examplesHelp(EXAMPLES.invite))
    .action(async (_, cmd) => {
      const options = cmd.optsWithGlobals();
      await checkBulkFlags(options);
      if (options.email.length > 1 || options.fromFile !== undefined) {
        const bulk = await import("./bulk_invite.ts");
        return await bulk.runBulkInvite(bulk.parseBulkInviteOptions(options), ctx);
      }
      const [email] = options.email;
      if (email === undefined) {
        throw new ValidationError('Required option "--email <email>" not specified', { code: "USAGE_ERROR" });
      }
      const verb = await import("./invite.ts");
      await verb.runInvite(verb.parseInviteOptions({ ...options, email }), ctx);
    });

  users.command("list")
    .description("List all users of the active tenant")
    .addOption(new Option("--status <status>", "only users in this state").choices(STATUSES))
    .option("--role <role>", "only users with this role, such as member or admin")
    .option("--limit <n>", "stop after this many users")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText("after", examplesHelp(EXAMPLES.list))
    .action(async (_, cmd) => await listVerb.run([], cmd.optsWithGlobals(), ctx));

  users.command("get")
    .description("Show full details of one user")
    .argument("<USER_ID>", "unique user identifier")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText("after", examplesHelp(EXAMPLES.get))
    .action(async (id, _, cmd) => await getVerb.run([id], cmd.optsWithGlobals(), ctx));

  users.command("deactivate")
    .description("Soft-delete a user, revoking all sessions and API keys (irreversible via the CLI)")
    .argument("[USER_ID...]", "unique user identifier; several deactivate several users")
    .option(
      "--from-file <path>",
      'deactivate the ids of a file, one a line (as -o id prints them), "-" for stdin',
    )
    .option("-y, --yes", "do not ask for confirmation (needed off a terminal for more than one id)")
    .option("--concurrency <n>", "most users in flight at once with several ids, 1 to 16 (default: 4)")
    .option(
      "--max-wait <duration>",
      "longest an id waits out the server's rate limits, such as 5m (default: no limit)",
    )
    .option("--dry-run", "print the request and the user's current state, and change nothing")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText("after", examplesHelp(EXAMPLES.deactivate))
    .action(async (ids, _, cmd) => {
      const options = cmd.optsWithGlobals();
      await checkBulkFlags(options);
      const [id] = ids;
      if (ids.length === 1 && id !== undefined && options.fromFile === undefined) {
        const verb = await import("./deactivate.ts");
        return await verb.runDeactivate(verb.parseDeactivateOptions(id, options), ctx);
      }
      if (ids.length === 0 && options.fromFile === undefined) {
        throw new ValidationError('Missing required argument "USER_ID"', { code: "USAGE_ERROR" });
      }
      const bulk = await import("./bulk_deactivate.ts");
      await bulk.runBulkDeactivate(bulk.parseBulkDeactivateOptions(ids, options), ctx);
    });

  users.command("resend-invite")
    .description("Send a pending user a new invitation email; the previous invitation stops working")
    .argument("<USER_ID>", "unique user identifier")
    .option("--dry-run", "print the request that would be sent, and send nothing")
    .option("--fields <list>", FIELDS_HELP)
    .addHelpText("after", examplesHelp(EXAMPLES.resendInvite))
    .action(async (id, _, cmd) => {
      const verb = await import("./resend_invite.ts");
      await verb.runResendInvite(verb.parseResendInviteOptions(id, cmd.optsWithGlobals()), ctx);
    });

  return users;
}
