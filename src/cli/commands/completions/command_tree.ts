import type { CommandUnknownOpts, Option } from "@commander-js/extra-typings";

/** One option of a command, as the completion scripts need it. */
export interface OptionSpec {
  /** Every spelling of the flag, long first (`--output`, `-o`). */
  flags: string[];
  /** One-line help text. */
  description: string;
  /** Whether the option consumes a value (`--output <format>`). */
  takesValue: boolean;
  /** The allowed values; empty for a free-form value (`--email <email>`) or no value. */
  choices: string[];
}

/** One positional argument of a command. */
export interface ArgumentSpec {
  /** Name shown in help, such as `USER_ID`. */
  name: string;
  /** Whether it takes every remaining word. */
  variadic: boolean;
  /** The allowed values; empty for a free-form argument. */
  choices: string[];
}

/** A command and everything below it, as plain data the script generators turn into shell code. */
export interface CommandSpec {
  /** The command's name (the program name at the root). */
  name: string;
  /** Names from the root down to this command, root included (`["phyware", "users", "list"]`). */
  path: string[];
  /** One-line help text. */
  description: string;
  /** Options of this command, --help included. */
  options: OptionSpec[];
  /** Positional arguments, in order. */
  arguments: ArgumentSpec[];
  /** Visible subcommands. */
  subcommands: CommandSpec[];
}

/**
 * Every name, flag and choice must be one plain shell word, so generators can emit them unquoted in word
 * lists (`compgen -W`), case patterns and `name:description` pairs (zsh) without escaping.
 */
const PLAIN_WORD = /^-{0,2}[A-Za-z0-9][A-Za-z0-9_.@+-]*$/;

function plain(word: string, what: string): string {
  if (!PLAIN_WORD.test(word)) throw new Error(`Cannot complete ${what} "${word}": not a plain word`);
  return word;
}

/** The first line of a help text, so every shell shows one short line. */
function firstLine(text: string): string {
  return (text.split("\n")[0] ?? "").trim();
}

/**
 * Turns a commander command tree into plain data: what `--help` shows (hidden commands and options left out),
 * minus the `help` command, which needs no completion of its own. A command also lists the options of its
 * ancestors below the root (`users --output` is accepted after `users list` too); the root's own options
 * (`--version`) are offered at the top only.
 *
 * @example commandTree(buildProgram(ctx, [])).subcommands.map((c) => c.name) // ["users", "server", "completions"]
 */
export function commandTree(
  cmd: CommandUnknownOpts,
  parentPath: string[] = [],
  inherited: OptionSpec[] = [],
): CommandSpec {
  const help = cmd.createHelp();
  const name = plain(cmd.name(), "command");
  const path = [...parentPath, name];
  const own = help.visibleOptions(cmd).map(optionSpec);
  const args = cmd.registeredArguments.map((argument): ArgumentSpec => ({
    name: argument.name(),
    variadic: argument.variadic,
    choices: (argument.argChoices ?? []).map((choice) => plain(choice, `<${argument.name()}> value`)),
  }));
  // What a subcommand inherits: everything declared on this command and above, except at the root.
  const passed = parentPath.length === 0
    ? []
    : [...inherited, ...cmd.options.filter((option) => !option.hidden).map(optionSpec)];
  const subcommands = help.visibleCommands(cmd)
    .filter((sub) => sub.name() !== "help")
    .map((sub) => commandTree(sub, path, passed));
  return {
    name,
    path,
    description: firstLine(cmd.description()),
    options: [...own, ...inherited],
    arguments: args,
    subcommands,
  };
}

function optionSpec(option: Option): OptionSpec {
  const flags = [option.long, option.short].filter((flag): flag is string => flag !== undefined);
  return {
    flags: flags.map((flag) => plain(flag, "option")),
    description: firstLine(option.description),
    takesValue: option.required || option.optional,
    choices: (option.argChoices ?? []).map((choice) => plain(choice, `${flags[0]} value`)),
  };
}

/** Every command of the tree, the root first, parents before children. */
export function allCommands(root: CommandSpec): CommandSpec[] {
  return [root, ...root.subcommands.flatMap(allCommands)];
}
