import type { CommandUnknownOpts, Option } from "@commander-js/extra-typings";
import { SPEC_REMEDIATIONS } from "../../../api/http_errors.ts";
import { specOf } from "../../../flags/commander.ts";
import { EXIT_CODES } from "../shared/exit_codes.ts";
import { environmentOf } from "../shared/environment.ts";
import { helpText } from "../shared/help_text.ts";

/** One option, as `phyware schema` describes it. */
export interface SchemaOption {
  long: string | null;
  short: string | null;
  value_name: string | null;
  type: "boolean" | "string" | "enum";
  choices: string[] | null;
  default: unknown;
  /** A default no constant value states, in words (FlagSpec's `defaultText`); null when there is none. */
  default_text: string | null;
  env: string | null;
  required: boolean;
  repeatable: boolean;
  description: string;
}

/** One command, as `phyware schema` describes it. */
export interface SchemaCommand {
  path: string;
  summary: string;
  arguments: Array<{ name: string; required: boolean; variadic: boolean; description: string }>;
  options: SchemaOption[];
  examples: Array<{ title: string; command: string }>;
  output_fields?: { default: readonly string[]; available: readonly string[] };
}

function option(o: Option): SchemaOption {
  // Declared flags (src/flags/spec.ts) say their default (a value or words) and variable; commander's own
  // (--help) have neither.
  const spec = specOf(o);
  const takesValue = o.required || o.optional;
  return {
    long: o.long ?? null,
    short: o.short ?? null,
    value_name: spec?.value ?? /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1] ?? null,
    type: !takesValue ? "boolean" : o.argChoices ? "enum" : "string",
    choices: o.argChoices ? [...o.argChoices] : null,
    default: o.defaultValue ?? spec?.default ?? null,
    default_text: spec?.defaultText ?? null,
    env: spec?.env ?? null,
    required: o.mandatory,
    repeatable: spec?.repeatable === true || o.variadic,
    description: o.description,
  };
}

function examples(help: string): Array<{ title: string; command: string }> {
  const found: Array<{ title: string; command: string }> = [];
  const block = help.split("\nExamples:\n")[1] ?? "";
  const lines = block.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const title = /^ {2}# (.*)$/.exec(lines[i] ?? "")?.[1];
    const command = /^ {2}(?:\$ )?(\S.*)$/.exec(lines[i + 1] ?? "")?.[1];
    if (title !== undefined && command !== undefined) found.push({ title, command }), i++;
  }
  return found;
}

function commands(cmd: CommandUnknownOpts, path: string[], inherited: SchemaOption[]): SchemaCommand[] {
  const help = cmd.createHelp();
  const own = help.visibleOptions(cmd).map(option);
  const passed = path.length === 0 ? [] : [...inherited, ...cmd.options.filter((o) => !o.hidden).map(option)];
  const here: SchemaCommand = {
    path: path.join(" "),
    summary: cmd.description(),
    arguments: cmd.registeredArguments.map((a) => ({
      name: a.name(),
      required: a.required,
      variadic: a.variadic,
      description: a.description,
    })),
    options: [...own, ...inherited],
    examples: examples(helpText(cmd)),
  };
  // What a command prints comes with its --fields (src/flags/spec.ts's `fields`).
  const fields = cmd.options.map((o) => specOf(o)?.fields).find((f) => f !== undefined);
  if (fields) here.output_fields = fields;
  const subs = help.visibleCommands(cmd).filter((sub) => sub.name() !== "help")
    .flatMap((sub) => commands(sub, [...path, sub.name()], passed));
  return path.length === 0 ? subs : [here, ...subs];
}

/** The whole CLI as one JSON-ready document: commands, exit codes, the spec's errors, the environment. */
export function buildSchema(root: CommandUnknownOpts, version: string) {
  return {
    name: root.name(),
    version,
    commands: commands(root, [], []),
    exit_codes: EXIT_CODES,
    errors: SPEC_REMEDIATIONS,
    environment: environmentOf(root),
  };
}
