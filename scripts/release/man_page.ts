/**
 * Man pages (roff, man(7) macros) generated from phyware's commander tree, walked the way
 * `src/commands/completions/command_tree.ts` walks it: what `--help` shows, hidden commands and options and
 * the `help` command left out. One page per command: `phyware.1`, `phyware-users.1`, `phyware-users-invite.1`.
 * Sections follow the spec: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, ARGUMENTS, OUTPUT, EXIT CODES, EXAMPLES,
 * AGENT NOTES, ERRORS, SEE ALSO.
 */
import type { CommandUnknownOpts, Help } from "@commander-js/extra-typings";
import { COMMON_AGENT_NOTE, COMMON_ERRORS, EXIT_CODES, JSON_AGENT_NOTE, notesFor } from "./man_notes.ts";

/** One generated page: its file name (`phyware-users-invite.1`) and roff text. */
export interface ManPage {
  name: string;
  text: string;
}

/** Escapes text for a roff text line: backslashes, hyphens (so options copy as ASCII), control characters. */
export function roffEscape(text: string): string {
  const escaped = text.replaceAll("\\", "\\e").replaceAll("-", "\\-");
  return /^[.']/.test(escaped) ? `\\&${escaped}` : escaped;
}

function bold(text: string): string {
  return `\\fB${roffEscape(text)}\\fR`;
}

/** A term in bold, a `<value>` placeholder in italics, as man pages set options. */
function term(text: string): string {
  return text.split(/(<[^>]+>|\[[^\]]+\])/).filter(Boolean)
    .map((part) => /^[<[]/.test(part) ? `\\fI${roffEscape(part)}\\fR` : bold(part))
    .join("");
}

function pageName(path: readonly string[]): string {
  return path.join("-");
}

function visibleSubcommands(help: Help, cmd: CommandUnknownOpts): CommandUnknownOpts[] {
  return help.visibleCommands(cmd).filter((sub) => sub.name() !== "help");
}

/** The full `--help` text of a command, as commander prints it (the text added after help included). */
export function helpOutput(cmd: CommandUnknownOpts): string {
  let text = "";
  const saved = cmd.configureOutput();
  cmd.configureOutput({ ...saved, writeOut: (chunk) => void (text += chunk) });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  return text;
}

/** A titled block of the text that follows commander's help ("Examples:", "Install:"), or a paragraph. */
interface AfterBlock {
  title: string | undefined;
  lines: string[];
}

/** Splits the text a command adds after its help into titled blocks and plain paragraphs. */
export function afterBlocks(cmd: CommandUnknownOpts): AfterBlock[] {
  const full = helpOutput(cmd);
  const base = cmd.helpInformation();
  const at = full.indexOf(base);
  const after = at < 0 ? "" : full.slice(at + base.length);
  const blocks: AfterBlock[] = [];
  for (const chunk of after.split(/\n\s*\n/)) {
    const lines = chunk.split("\n").filter((line) => line.trim() !== "");
    if (lines.length === 0) continue;
    const heading = /^([A-Z][A-Za-z ]*):$/.exec(lines[0] ?? "");
    if (heading) {
      const body = lines.slice(1);
      const indent = Math.min(...body.map((line) => (/^ */.exec(line)?.[0].length ?? 0)));
      blocks.push({ title: heading[1], lines: body.map((line) => line.slice(indent)) });
    } else {
      blocks.push({ title: undefined, lines });
    }
  }
  return blocks;
}

function literal(lines: readonly string[]): string[] {
  return [".PP", ".EX", ...lines.map(roffEscape), ".EE"];
}

function paragraph(text: string): string[] {
  return [".PP", roffEscape(text)];
}

function tagged(termText: string, body: string): string[] {
  return [".TP", termText, roffEscape(body)];
}

function synopsis(help: Help, cmd: CommandUnknownOpts, path: readonly string[]): string[] {
  const usage = (c: CommandUnknownOpts, words: readonly string[]) => {
    const line = help.commandUsage(c);
    // commander prints "phyware users invite [options]"; set the command words bold, the rest as usage.
    const rest = line.startsWith(words.join(" ")) ? line.slice(words.join(" ").length) : ` ${line}`;
    return `${bold(words.join(" "))}${term(rest)}`;
  };
  const lines = [".nf", usage(cmd, path)];
  for (const sub of visibleSubcommands(help, cmd)) lines.push(usage(sub, [...path, sub.name()]));
  return [...lines, ".fi"];
}

function seeAlso(cmd: CommandUnknownOpts, path: readonly string[], help: Help): string[] {
  const refs: string[] = [];
  for (let n = 1; n < path.length; n++) refs.push(pageName(path.slice(0, n)));
  const parent = cmd.parent;
  if (parent && path.length > 1) {
    for (const sibling of visibleSubcommands(help, parent)) {
      if (sibling !== cmd) refs.push(pageName([...path.slice(0, -1), sibling.name()]));
    }
  }
  for (const sub of visibleSubcommands(help, cmd)) refs.push(pageName([...path, sub.name()]));
  return refs.map((ref, i) => `.BR ${roffEscape(ref)} (1)${i < refs.length - 1 ? " ," : ""}`);
}

function page(cmd: CommandUnknownOpts, path: readonly string[], version: string, date: string): string {
  const help = cmd.createHelp();
  const notes = notesFor(path.slice(1));
  const blocks = afterBlocks(cmd);
  const out: string[] = [
    `.\\" Generated by scripts/release/man_page.ts from phyware's command tree; do not edit.`,
    `.TH ${roffEscape(pageName(path).toUpperCase())} 1 ${date} "phyware ${
      roffEscape(version)
    }" "phyware manual"`,
    ".SH NAME",
    `${roffEscape(pageName(path))} \\- ${roffEscape(help.commandDescription(cmd).split("\n")[0] ?? "")}`,
    ".SH SYNOPSIS",
    ...synopsis(help, cmd, path),
    ".SH DESCRIPTION",
    ...help.commandDescription(cmd).split(/\n\s*\n/).flatMap(paragraph),
  ];
  for (const block of blocks) {
    if (block.title === "Examples") continue;
    if (block.title) out.push(".SS " + roffEscape(block.title), ...literal(block.lines));
    else out.push(...paragraph(block.lines.join(" ")));
  }
  const subs = visibleSubcommands(help, cmd);
  if (subs.length > 0) {
    out.push(".SS Commands");
    for (const sub of subs) {
      out.push(...tagged(term(help.subcommandTerm(sub)), help.subcommandDescription(sub)));
    }
  }
  out.push(".SH OPTIONS");
  for (const option of help.visibleOptions(cmd)) {
    out.push(...tagged(term(help.optionTerm(option)), help.optionDescription(option)));
  }
  const globals = help.showGlobalOptions ? help.visibleGlobalOptions(cmd) : [];
  if (globals.length > 0) {
    out.push(".SS Global options");
    for (const option of globals) {
      out.push(...tagged(term(help.optionTerm(option)), help.optionDescription(option)));
    }
  }
  out.push(".SH ARGUMENTS");
  const args = help.visibleArguments(cmd);
  if (args.length === 0) out.push(subs.length > 0 ? "A command, listed under Commands." : "None.");
  for (const argument of args) {
    out.push(
      ...tagged(term(help.argumentTerm(argument)), help.argumentDescription(argument) || "(no description)"),
    );
  }
  if (notes.output) {
    out.push(".SH OUTPUT", "Each record has these fields (the columns of the table output):");
    for (const [field, meaning] of notes.output) out.push(...tagged(bold(field), meaning));
  }
  out.push(".SH EXIT CODES");
  for (const [code, meaning] of EXIT_CODES) out.push(...tagged(bold(String(code)), meaning));
  out.push(".SH EXAMPLES");
  const examples = blocks.find((block) => block.title === "Examples");
  if (examples) out.push(...literal(examples.lines));
  else if (notes.examples) {
    out.push(...literal(notes.examples.flatMap(([title, line]) => [`# ${title}`, line])));
  } else out.push(...literal([`# Show every option of this command`, `${path.join(" ")} --help`]));
  const json = [...help.visibleOptions(cmd), ...globals].some((option) =>
    option.argChoices?.includes("json")
  );
  const agent = [...(notes.agent ?? []), COMMON_AGENT_NOTE, ...(json ? [JSON_AGENT_NOTE] : [])];
  out.push(".SH AGENT NOTES", ...agent.flatMap(paragraph));
  out.push(".SH ERRORS");
  for (const error of [...(notes.errors ?? []), ...COMMON_ERRORS]) {
    out.push(...tagged(bold(error.code), `${error.message}. ${error.remediation}.`));
  }
  out.push(".SH SEE ALSO", ...seeAlso(cmd, path, help));
  // A paragraph macro right after a heading is redundant, and mandoc warns about it.
  return out.filter((line, i) => !(line === ".PP" && /^\.S[HS] /.test(out[i - 1] ?? ""))).join("\n") + "\n";
}

/**
 * One man page per command of the tree, the root first, parents before children.
 *
 * @example manPages(buildProgram(ctx, []), "0.1.0", 1764547200).map((p) => p.name) // ["phyware.1", ...]
 */
export function manPages(root: CommandUnknownOpts, version: string, epochSeconds: number): ManPage[] {
  const date = new Date(epochSeconds * 1000).toISOString().slice(0, 10);
  const pages: ManPage[] = [];
  const walk = (cmd: CommandUnknownOpts, parentPath: readonly string[]) => {
    const path = [...parentPath, cmd.name()];
    pages.push({ name: `${pageName(path)}.1`, text: page(cmd, path, version, date) });
    for (const sub of visibleSubcommands(cmd.createHelp(), cmd)) walk(sub, path);
  };
  walk(root, []);
  return pages;
}
