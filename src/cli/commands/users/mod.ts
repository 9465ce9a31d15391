import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { ValidationError } from "../../../errors.ts";
import { addFlags } from "../../../flags/commander.ts";
import { addGlobalOptions } from "../../../session/flags.ts";
import { EXAMPLES } from "./examples.ts";
import { examplesHelp } from "../shared/examples_help.ts";
import { getVerb, listVerb } from "./fast.ts";
import {
  DEACTIVATE_FLAGS,
  GET_FLAGS,
  INVITE_FLAGS,
  LIST_FLAGS,
  RESEND_INVITE_FLAGS,
  SET_ROLE_FLAGS,
} from "./flags.ts";

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

  addFlags(users.command("invite"), INVITE_FLAGS)
    .description("Send an invitation email to a new user and create a pending user record")
    .addHelpText("after", examplesHelp(EXAMPLES.invite))
    .action(async (_, cmd) => {
      const given = cmd.optsWithGlobals();
      const options = { ...given, email: given.email ?? [] };
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

  addFlags(users.command("list"), LIST_FLAGS)
    .description("List all users of the active tenant")
    .addHelpText("after", examplesHelp(EXAMPLES.list))
    .action(async (_, cmd) => await listVerb.run([], cmd.optsWithGlobals(), ctx));

  addFlags(users.command("get"), GET_FLAGS)
    .description("Show full details of one user")
    .argument("<USER_ID>", "unique user identifier, or the user's email address")
    .addHelpText("after", examplesHelp(EXAMPLES.get))
    .action(async (id, _, cmd) => await getVerb.run([id], cmd.optsWithGlobals(), ctx));

  addFlags(users.command("deactivate"), DEACTIVATE_FLAGS)
    .description("Soft-delete a user, revoking all sessions and API keys (irreversible via the CLI)")
    .argument("[USER_ID...]", "unique user identifier; several deactivate several users")
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

  addFlags(users.command("set-role"), SET_ROLE_FLAGS)
    .description("Give a user another role; the tenant's last active admin stays an admin")
    .argument("<USER_ID>", "unique user identifier")
    .addHelpText("after", examplesHelp(EXAMPLES.setRole))
    .action(async (id, _, cmd) => {
      const verb = await import("./set_role.ts");
      await verb.runSetRole(verb.parseSetRoleOptions(id, cmd.optsWithGlobals()), ctx);
    });

  addFlags(users.command("resend-invite"), RESEND_INVITE_FLAGS)
    .description("Send a pending user a new invitation email; the previous invitation stops working")
    .argument("<USER_ID>", "unique user identifier")
    .addHelpText("after", examplesHelp(EXAMPLES.resendInvite))
    .action(async (id, _, cmd) => {
      const verb = await import("./resend_invite.ts");
      await verb.runResendInvite(verb.parseResendInviteOptions(id, cmd.optsWithGlobals()), ctx);
    });

  return users;
}
