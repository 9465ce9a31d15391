import { Command, type CommandUnknownOpts } from "@commander-js/extra-typings";
import type { Context } from "../../../context.ts";
import { addFlags } from "../../../flags/commander.ts";
import { addConnectionOptions } from "../../../session/flags.ts";
import { examplesHelp } from "../shared/examples_help.ts";
import { API_FLAGS } from "./flags.ts";

const EXAMPLES: ReadonlyArray<readonly [string, string]> = [
  ["The caller's user, tenant and key", "phyware api GET /v1/me"],
  ["One page of pending users", "phyware api GET '/v1/users?status=pending&limit=10'"],
  ["Make a user an admin", `phyware api PATCH /v1/users/usr_abc123 --data '{"role":"admin"}'`],
  [
    "Send a body from a file, and trace the exchange",
    "phyware api POST /v1/users --data @new-user.json --debug",
  ],
];

/** The `phyware api` command; its module is loaded only when it runs. */
export function apiCommand(ctx: Context): CommandUnknownOpts {
  return addFlags(addConnectionOptions(new Command("api")), API_FLAGS)
    .description("Send any request to the PhyCloud API and print the response body")
    .argument("<METHOD>", "GET, HEAD, POST, PUT, PATCH or DELETE")
    .argument("<PATH>", "path below the service URL, with any query, such as /v1/users?limit=5")
    .addHelpText(
      "after",
      examplesHelp(EXAMPLES) +
        "\nThe URL and key come from the same places as for every command (see phyware help environment);\n" +
        "failed requests exit with the same codes (see phyware help exit-codes). Writes carry an\n" +
        "Idempotency-Key, so their retries are safe. JSON is indented on a terminal and printed as the\n" +
        "service sent it otherwise.\n",
    )
    .action(async (method, path, _, cmd) => {
      const verb = await import("./api.ts");
      await verb.runApi(verb.parseApiOptions(method, path, cmd.optsWithGlobals()), ctx);
    });
}
