import type { CommandUnknownOpts } from "@commander-js/extra-typings";
import { quoted, ValidationError } from "../errors.ts";

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/**
 * Makes a command group print its help on stdout and succeed when run with no verb, as gh does, while an
 * unknown verb stays a usage error (exit 4) that suggests the nearest one.
 */
export function helpWhenBare(group: CommandUnknownOpts): void {
  group.allowExcessArguments(true).action(() => {
    const [name] = group.args;
    if (name === undefined) return group.outputHelp();
    const names = group.commands.filter((c) => c.name() !== "help").map((c) => c.name());
    const near = names.filter((n) => editDistance(n, name) <= Math.max(1, Math.floor(n.length * 0.4)));
    throw new ValidationError(
      `Unknown command ${quoted(name)}${near.length > 0 ? ` (Did you mean ${near.join(", ")}?)` : ""}`,
      { code: "USAGE_ERROR" },
    );
  });
}
