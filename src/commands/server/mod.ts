import { Command } from "@commander-js/extra-typings";
import type { Context } from "../../context.ts";

/** The `phyware server` command group (placeholder until the server lands). */
export function serverCommand(_ctx: Context): Command {
  return new Command("server").description("Run the reference PhyCloud users service");
}
