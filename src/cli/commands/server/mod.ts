import { Command } from "@commander-js/extra-typings";
import type { Context, ServerHost } from "../../../context.ts";
import { startCommand } from "./start.ts";
import { tenantCommand } from "./tenant.ts";

/** The `phyware server` command group: `start` and `tenant create`. */
export function serverCommand(ctx: Context, host: ServerHost): Command {
  return new Command("server")
    .description("Run the reference PhyCloud users service, with an embedded SQLite database")
    .addCommand(startCommand(ctx, host))
    .addCommand(tenantCommand(ctx));
}
