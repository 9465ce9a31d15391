import type { CommandUnknownOpts } from "@commander-js/extra-typings";

/** The help text of a command as `--help` prints it, the text added after it included (schema, man pages). */
export function helpText(cmd: CommandUnknownOpts): string {
  const saved = cmd.configureOutput();
  let text = "";
  cmd.configureOutput({ ...saved, writeOut: (s) => void (text += s) });
  try {
    cmd.outputHelp();
  } finally {
    cmd.configureOutput(saved);
  }
  return text;
}
