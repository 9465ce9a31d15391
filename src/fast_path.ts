import type { Context } from "./context.ts";

/** One flag of a fast verb: the key commander gives its value, whether it takes one, and its choices. */
export interface FastFlag {
  readonly key: string;
  readonly value: boolean;
  readonly choices?: readonly string[];
}

/** Flags by spelling (`--output`, `-o`). */
export type FastFlags = Readonly<Record<string, FastFlag>>;

/** The options a flag table yields, as commander's `optsWithGlobals()` would: a string or true when given. */
export type FastOptions<T extends FastFlags> = {
  -readonly [F in keyof T as T[F]["key"]]?: T[F]["value"] extends true ? string : true;
};

/** A verb that runs without commander when its command line is plain. */
export interface FastVerb {
  /** The group and the verb (`["users", "get"]`). */
  readonly path: readonly [group: string, verb: string];
  /** The group's flags, accepted before and after the verb. */
  readonly groupFlags: FastFlags;
  /** The verb's own flags, accepted after it. */
  readonly flags: FastFlags;
  /** How many positional arguments it takes, all required. */
  readonly args: number;
  /** Loads the verb's module and runs it; commander's action calls it too. */
  run(args: readonly string[], options: Readonly<Record<string, string | true>>, ctx: Context): Promise<void>;
}

/** Declares a fast verb; `run` gets options typed by the flag tables. */
export function fastVerb<G extends FastFlags, F extends FastFlags>(verb: {
  path: readonly [string, string];
  groupFlags: G;
  flags: F;
  args: number;
  run(args: readonly string[], options: FastOptions<G & F>, ctx: Context): Promise<void>;
}): FastVerb {
  // The scanner below fills options from these very tables, so this is the type it builds.
  return { ...verb, run: (args, options, ctx) => verb.run(args, options as FastOptions<G & F>, ctx) };
}

/** Reads flags from `argv[at]`; returns the index after them and whether every one was plain. */
function readFlags(
  argv: readonly string[],
  at: number,
  flags: FastFlags,
  into: Record<string, string | true>,
) {
  const token = argv[at] ?? "";
  if (token === "--" || token === "-" || !token.startsWith("-")) return undefined;
  const long = token.startsWith("--");
  const eq = long ? token.indexOf("=") : -1;
  const name = long ? (eq === -1 ? token : token.slice(0, eq)) : token.slice(0, 2);
  const flag = flags[name];
  if (!flag) return undefined;
  if (!flag.value) {
    if (name !== token) return undefined;
    into[flag.key] = true;
    return at + 1;
  }
  const inline = long
    ? (eq === -1 ? undefined : token.slice(eq + 1))
    : (token.length > 2 ? token.slice(2) : undefined);
  const value = inline ?? argv[at + 1];
  // A value that looks like a flag is left to commander, which decides what it means.
  if (value === undefined || (inline === undefined && value.startsWith("-"))) return undefined;
  if (flag.choices && !flag.choices.includes(value)) return undefined;
  into[flag.key] = value;
  return at + (inline === undefined ? 2 : 1);
}

/** The arguments and options of `argv` for `verb`, when it names that verb and every word of it is plain. */
function matchVerb(argv: readonly string[], verb: FastVerb) {
  if (argv[0] !== verb.path[0]) return undefined;
  const options: Record<string, string | true> = {};
  let at = 1;
  while (argv[at] !== verb.path[1]) {
    const next = readFlags(argv, at, verb.groupFlags, options);
    if (next === undefined) return undefined;
    at = next;
  }
  const all = { ...verb.groupFlags, ...verb.flags };
  const args: string[] = [];
  for (at++; at < argv.length;) {
    const word = argv[at] ?? "";
    if (!word.startsWith("-")) {
      args.push(word);
      at++;
      continue;
    }
    const next = readFlags(argv, at, all, options);
    if (next === undefined) return undefined;
    at = next;
  }
  return args.length === verb.args ? { verb, args, options } : undefined;
}

/**
 * The fast verb a command line names, with its arguments and options, when every word of it is plain:
 * known flags with valid values and the right number of arguments, in the places commander accepts them.
 * Anything else (help, `--`, an unknown flag, a bad value) returns undefined and goes to commander, which
 * prints the help, the error and the suggestion, so the fast path never has to say anything of its own.
 */
export function matchFastPath(
  argv: readonly string[],
  verbs: readonly FastVerb[],
): { verb: FastVerb; args: string[]; options: Record<string, string | true> } | undefined {
  for (const verb of verbs) {
    const match = matchVerb(argv, verb);
    if (match) return match;
  }
  return undefined;
}
