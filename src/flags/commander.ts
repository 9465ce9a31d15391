/**
 * Commander's options built from the flag declarations (./spec.ts); `schema` reads each option's declaration
 * back. Only commander's types are imported (options are made with `cmd.createOption`), so modules that
 * declare flags stay loadable on the fast start-up path, which never loads commander.
 */
import type { Command, CommandUnknownOpts, Option, OptionValues } from "@commander-js/extra-typings";
import { flagHelp, type FlagSpec, type FlagValues } from "./spec.ts";

const SPECS = new WeakMap<Option, FlagSpec>();

/** The commander option of a flag, made by `cmd`. */
export function flagOption(cmd: CommandUnknownOpts, spec: FlagSpec): Option {
  const spelled = spec.short === undefined ? spec.long : `${spec.short}, ${spec.long}`;
  const option = cmd.createOption(
    spec.value === undefined ? spelled : `${spelled} <${spec.value}>`,
    flagHelp(spec),
  );
  if (spec.choices !== undefined) option.choices(spec.choices);
  if (spec.repeatable) {
    // No [] default: commander would print "(default: [])" in the help. Absent, the flag has no value.
    option.argParser((
      value: string,
      previous: unknown,
    ) => [...((previous as string[] | undefined) ?? []), value]);
  } else if (spec.default !== undefined && spec.defaultBy !== "parse") option.default(spec.default);
  SPECS.set(option, spec);
  return option;
}

/** The declaration an option was built from; undefined for commander's own (`--help`, `--version`). */
export function specOf(option: Option): FlagSpec | undefined {
  return SPECS.get(option);
}

/** Adds flags to a command, typing its options by their declarations. */
export function addFlags<
  Args extends unknown[],
  Opts extends OptionValues,
  Globals extends OptionValues,
  const T extends readonly FlagSpec[],
>(cmd: Command<Args, Opts, Globals>, specs: T): Command<Args, Opts & FlagValues<T>, Globals> {
  for (const spec of specs) cmd.addOption(flagOption(cmd, spec));
  // The options added are exactly `specs`, which is what FlagValues<T> describes.
  return cmd as unknown as Command<Args, Opts & FlagValues<T>, Globals>;
}
