/**
 * The users verbs that skip commander when their command line is plain (src/fast_path.ts): each one's flags
 * and the call into its lazily imported module. Commander's actions (./mod.ts) call the same `run`, and
 * fast_test.ts checks that these tables say what the commander tree says.
 */
import { STATUSES } from "../../api/types.ts";
import { type FastVerb, fastVerb } from "../../fast_path.ts";
import { OUTPUT_FORMATS } from "../../output/format.ts";

/** The group's options (declared for commander by ../global_options.ts). */
const USERS_FLAGS = {
  "--url": { key: "url", value: true },
  "--api-key": { key: "apiKey", value: true },
  "--api-key-file": { key: "apiKeyFile", value: true },
  "--profile": { key: "profile", value: true },
  "--output": { key: "output", value: true, choices: OUTPUT_FORMATS },
  "-o": { key: "output", value: true, choices: OUTPUT_FORMATS },
  "--timeout": { key: "timeout", value: true },
  "--verbose": { key: "verbose", value: false },
  "--debug": { key: "debug", value: false },
} as const;

const FIELDS = { "--fields": { key: "fields", value: true } } as const;

/** `phyware users get USER_ID`. */
export const getVerb: FastVerb = fastVerb({
  path: ["users", "get"],
  groupFlags: USERS_FLAGS,
  flags: FIELDS,
  args: 1,
  run: async ([id = ""], options, ctx) => {
    const verb = await import("./get.ts");
    await verb.runGet(verb.parseGetOptions(id, options), ctx);
  },
});

/** `phyware users list`. */
export const listVerb: FastVerb = fastVerb({
  path: ["users", "list"],
  groupFlags: USERS_FLAGS,
  flags: {
    "--status": { key: "status", value: true, choices: STATUSES },
    "--role": { key: "role", value: true },
    "--email": { key: "email", value: true },
    "--search": { key: "search", value: true },
    "--limit": { key: "limit", value: true },
    ...FIELDS,
  },
  args: 0,
  run: async (_, options, ctx) => {
    const verb = await import("./list.ts");
    await verb.runList(verb.parseListOptions(options), ctx);
  },
});

/** Every users verb with a fast path. */
export const USERS_FAST_VERBS: readonly FastVerb[] = [getVerb, listVerb];
