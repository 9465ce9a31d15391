/**
 * Flags as data: each flag of the CLI is declared once, as a FlagSpec, and everything else is built from it:
 * commander's options (./commander.ts), the fast start-up path's table (src/cli/fast_path.ts), the JSON-error
 * scan of src/cli/mod.ts, and through commander's tree the help, `schema`, the man pages and the completions.
 * Free of commander and of any runtime import, so the fast path can load it.
 */

/** The fields of every flag; FlagSpec adds that a default is a value or words, never both. */
interface FlagFields {
  /** The long spelling, such as `--api-key`; the option's key is its camel case (`apiKey`). */
  readonly long: `--${string}`;
  /** The one-letter spelling, such as `-o`. */
  readonly short?: `-${string}`;
  /** The value's name in help (`--url <url>`); absent for a switch that takes no value. */
  readonly value?: string;
  /** The values the flag accepts; any other is a usage error. */
  readonly choices?: readonly string[];
  /** The value in effect when the flag is absent; commander sets it unless `defaultBy` says otherwise. */
  readonly default?: string;
  /**
   * "parse": the verb's parse step or the credential chain applies `default`, because it must know whether
   * the flag was given (`--url` from a flag outranks PHYCLOUD_URL); help still shows it.
   */
  readonly defaultBy?: "parse";
  /**
   * The default in words, when it is no constant value (the profile's URL, the database's folder, no limit):
   * help shows it as `(default: words)` where it shows a constant default, and schema as `default_text`. The
   * verb's parse step or the module it calls works it out; never with `default`.
   */
  readonly defaultText?: string;
  /**
   * The environment variable read when the flag is absent, by the module that applies the flag
   * (src/session/credentials.ts for the URL, the key and the profile, src/api/debug_trace.ts for --debug,
   * src/cli/commands/server/paths.ts for --db), never by commander, which would read the process environment
   * behind the Context's back.
   */
  readonly env?: string;
  /** Whether the flag may be given several times, each value collected in order (absent: no value). */
  readonly repeatable?: boolean;
  /** One line of help, without the default and the environment variable (added from the fields above). */
  readonly help: string;
  /** Of a --fields flag: the fields the command prints unless told, and every field it can print (schema). */
  readonly fields?: { readonly default: readonly string[]; readonly available: readonly string[] };
}

/** One flag: its spellings, its value, where its default and environment variable come from, its help. */
export type FlagSpec =
  & FlagFields
  & (
    | { readonly defaultText?: never }
    | { readonly defaultText: string; readonly default?: never; readonly defaultBy?: never }
  );

/** Declares a list of flags, keeping each one's literal types for the types below. */
export function flags<const T extends readonly FlagSpec[]>(...specs: T): T {
  return specs;
}

/**
 * A flag declared elsewhere, less some of its fields: for a verb whose variant drops what the base declares,
 * such as a default it does not have (`{ ...without(URL_FLAG, "default", "defaultBy"), help: "..." }`). A
 * variant that only changes fields spreads the base (`{ ...DRY_RUN_FLAG, help: "..." }`): either way its
 * name, short name, value, choices and environment variable are the base's, never written again.
 */
export function without<const F extends FlagSpec, K extends Exclude<keyof FlagSpec, "long" | "help">>(
  spec: F,
  ...keys: K[]
): Omit<F, K> {
  const copy: Partial<Record<keyof FlagSpec, unknown>> = { ...spec };
  for (const key of keys) delete copy[key];
  return copy as Omit<F, K>;
}

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** The key of a flag's value (`--api-key` -> `apiKey`), as commander names it. */
export type FlagKey<F extends FlagSpec> = F["long"] extends `--${infer Name}` ? Camel<Name> : never;

/** The type of one flag's value: a choice, a string, a list of strings, or `true` for a switch. */
export type FlagValue<F extends FlagSpec> = F extends { readonly value: string }
  ? F extends { readonly repeatable: true } ? string[]
  : F extends { readonly choices: readonly (infer C)[] } ? C
  : string
  : true;

type AlwaysSet<F extends FlagSpec> = F extends { readonly repeatable: true } ? false
  : F extends { readonly defaultBy: "parse" } ? false
  : F extends { readonly default: string } ? true
  : false;

/** The values a list of flags yields, as commander's `opts()` gives them. */
export type FlagValues<T extends readonly FlagSpec[]> =
  & { [F in T[number] as AlwaysSet<F> extends true ? FlagKey<F> : never]: FlagValue<F> }
  & { [F in T[number] as AlwaysSet<F> extends true ? never : FlagKey<F>]?: FlagValue<F> };

/** The key of a flag's value at run time (`--api-key` -> `apiKey`). */
export function flagKey(spec: FlagSpec): string {
  // A plain loop, no regular expression nor Array.prototype.map: this runs on the fast start-up path, where
  // Bun compiles each regular expression and each of JavaScriptCore's own JS builtins on its first use (map:
  // 0.1 ms of `users get`, bench/ "one" row).
  const name = spec.long;
  let key = "";
  for (let i = 2; i < name.length; i++) {
    const c = name[i] ?? "";
    key += c === "-" ? (name[++i] ?? "").toUpperCase() : c;
  }
  return key;
}

/**
 * The help line of a flag as `--help` shows it: the environment variable, then the default in words or, when
 * the parse step applies it, the constant default (commander adds a default it applies itself, in that place).
 */
export function flagHelp(spec: FlagSpec): string {
  const env = spec.env === undefined ? "" : ` [env: ${spec.env}]`;
  const shown = spec.defaultText !== undefined
    ? ` (default: ${spec.defaultText})`
    : spec.default !== undefined && spec.defaultBy === "parse"
    ? ` (default: ${JSON.stringify(spec.default)})`
    : "";
  return `${spec.help}${env}${shown}`;
}
