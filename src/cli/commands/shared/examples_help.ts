/** The `Examples:` section of a command's help, shared by every command group. */

/** Formats examples as a help section. */
export function examplesHelp(examples: ReadonlyArray<readonly [string, string]>): string {
  return "\nExamples:\n" + examples.map(([title, cmd]) => `  # ${title}\n  ${cmd}\n`).join("");
}
