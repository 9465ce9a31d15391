import type { Context } from "../context.ts";
import { flagKey, type FlagSpec, type FlagValues } from "../flags/spec.ts";

/** One spelling of a flag in a fast verb's table: the key of its value and its declaration. */
interface FastFlag {
  readonly key: string;
  readonly spec: FlagSpec;
}

/** Flags by spelling (`--output`, `-o`), built from the declarations. */
type FastFlags = Readonly<Record<string, FastFlag>>;

/** The values a fast verb's options hold, as commander's `optsWithGlobals()` would give them. */
export type FastValues = Readonly<Record<string, string | true | string[]>>;

/** A verb that runs without commander when its command line is plain. */
export interface FastVerb {
  /** The group and the verb (`["users", "get"]`). */
  readonly path: readonly [group: string, verb: string];
  /** The group's flags, accepted before and after the verb. */
  readonly groupFlags: readonly FlagSpec[];
  /** The verb's own flags, accepted after it. */
  readonly flags: readonly FlagSpec[];
  /** How many positional arguments it takes, all required. */
  readonly args: number;
  /** Loads the verb's module and runs it; commander's action calls it too. */
  run(args: readonly string[], options: FastValues, ctx: Context): Promise<void>;
}

function index(specs: readonly FlagSpec[], into: Record<string, FastFlag> = {}): FastFlags {
  for (const spec of specs) {
    const flag = { key: flagKey(spec), spec };
    into[spec.long] = flag;
    if (spec.short !== undefined) into[spec.short] = flag;
  }
  return into;
}

/** A verb's flags by spelling: the group's (read before the verb), and all it takes (read after it). */
interface Tables {
  readonly group: FastFlags;
  readonly all: FastFlags;
}

// Built when a command line first names the verb's group, so `--version` and other commands never build them.
const TABLES = new WeakMap<FastVerb, Tables>();

function tablesOf(verb: FastVerb): Tables {
  let tables = TABLES.get(verb);
  if (tables === undefined) {
    const group = index(verb.groupFlags);
    tables = { group, all: index(verb.flags, { ...group }) };
    TABLES.set(verb, tables);
  }
  return tables;
}

/** Declares a fast verb from its flags' declarations; `run` gets options typed by them. */
export function fastVerb<const G extends readonly FlagSpec[], const F extends readonly FlagSpec[]>(verb: {
  path: readonly [string, string];
  groupFlags: G;
  flags: F;
  args: number;
  run(args: readonly string[], options: FlagValues<G> & FlagValues<F>, ctx: Context): Promise<void>;
}): FastVerb {
  return {
    ...verb,
    // The scanner fills options from these very declarations, defaults included: the type FlagValues names.
    run: (args, options, ctx) => verb.run(args, options as FlagValues<G> & FlagValues<F>, ctx),
  };
}

/** Reads flags from `argv[at]`; returns the index after them and whether every one was plain. */
function readFlags(
  argv: readonly string[],
  at: number,
  flags: FastFlags,
  into: Record<string, string | true | string[]>,
) {
  const token = argv[at] ?? "";
  if (token === "--" || token === "-" || !token.startsWith("-")) return undefined;
  const long = token.startsWith("--");
  const eq = long ? token.indexOf("=") : -1;
  const name = long ? (eq === -1 ? token : token.slice(0, eq)) : token.slice(0, 2);
  const flag = flags[name];
  if (!flag) return undefined;
  const { spec } = flag;
  if (spec.value === undefined) {
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
  if (spec.choices && !spec.choices.includes(value)) return undefined;
  const previous = into[flag.key];
  into[flag.key] = spec.repeatable ? [...(Array.isArray(previous) ? previous : []), value] : value;
  return at + (inline === undefined ? 2 : 1);
}

/** The defaults commander would set for flags not given. */
function applyDefaults(specs: readonly FlagSpec[], into: Record<string, string | true | string[]>): void {
  for (const spec of specs) {
    const key = flagKey(spec);
    if (key in into) continue;
    if (spec.repeatable) into[key] = [];
    else if (spec.default !== undefined && spec.defaultBy !== "parse") into[key] = spec.default;
  }
}

/** The arguments and options of `argv` for `verb`, when it names that verb and every word of it is plain. */
function matchVerb(argv: readonly string[], verb: FastVerb) {
  if (argv[0] !== verb.path[0]) return undefined;
  const tables = tablesOf(verb);
  const options: Record<string, string | true | string[]> = {};
  let at = 1;
  while (argv[at] !== verb.path[1]) {
    const next = readFlags(argv, at, tables.group, options);
    if (next === undefined) return undefined;
    at = next;
  }
  const args: string[] = [];
  for (at++; at < argv.length;) {
    const word = argv[at] ?? "";
    if (!word.startsWith("-")) {
      args.push(word);
      at++;
      continue;
    }
    const next = readFlags(argv, at, tables.all, options);
    if (next === undefined) return undefined;
    at = next;
  }
  if (args.length !== verb.args) return undefined;
  applyDefaults(verb.groupFlags, options);
  applyDefaults(verb.flags, options);
  return { verb, args, options };
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
): { verb: FastVerb; args: string[]; options: Record<string, string | true | string[]> } | undefined {
  for (const verb of verbs) {
    const match = matchVerb(argv, verb);
    if (match) return match;
  }
  return undefined;
}
