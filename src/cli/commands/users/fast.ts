/**
 * The users verbs that skip commander when their command line is plain (src/cli/fast_path.ts): the call into
 * each one's lazily imported module, with the flags declared for commander too (src/session/flags.ts,
 * ./flags.ts). Commander's actions (./mod.ts) call the same `run`.
 */
import { type FastVerb, fastVerb } from "../../fast_path.ts";
import { GLOBAL_FLAGS } from "../../../session/flags.ts";
import { GET_FLAGS, LIST_FLAGS } from "./flags.ts";

/** `phyware users get USER_ID`. */
export const getVerb: FastVerb = fastVerb({
  path: ["users", "get"],
  groupFlags: GLOBAL_FLAGS,
  flags: GET_FLAGS,
  args: 1,
  run: async ([id = ""], options, ctx) => {
    const verb = await import("./get.ts");
    await verb.runGet(verb.parseGetOptions(id, options), ctx);
  },
});

/** `phyware users list`. */
export const listVerb: FastVerb = fastVerb({
  path: ["users", "list"],
  groupFlags: GLOBAL_FLAGS,
  flags: LIST_FLAGS,
  args: 0,
  run: async (_, options, ctx) => {
    const verb = await import("./list.ts");
    await verb.runList(verb.parseListOptions(options), ctx);
  },
});

/** Every users verb with a fast path. */
export const USERS_FAST_VERBS: readonly FastVerb[] = [getVerb, listVerb];
