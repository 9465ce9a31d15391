import type { OutputRecord } from "./format.ts";

type Stringify = (value: unknown, options: { version: "1.1"; compat: "core" }) => string;

// The YAML library is loaded only for `--output yaml`, to keep it off every other command's start-up.
async function yaml(): Promise<{ stringify: Stringify }> {
  return await import("yaml");
}

/**
 * Output follows YAML 1.1's rules, which many loaders still use (Ruby's Psych, PyYAML): strings a 1.1
 * loader would read as something else (yes, no, on, off, null, timestamps, 0777, 1_000) are quoted, so every
 * value reads back as the string it is. `compat: "core"` also quotes what only YAML 1.2's core schema reads
 * as another type (0o17, an octal number there), so a 1.2 loader reads the same text the same way.
 */
const OPTIONS = { version: "1.1", compat: "core" } as const;

/** Renders records as items of a YAML block sequence; pages rendered one by one concatenate. */
export async function yamlItems(
  records: readonly (OutputRecord | Record<string, unknown>)[],
): Promise<string> {
  return records.length === 0 ? "" : (await yaml()).stringify(records, OPTIONS);
}

/** Renders one record or document as a YAML mapping. */
export async function yamlRecord(record: OutputRecord | Record<string, unknown>): Promise<string> {
  return (await yaml()).stringify(record, OPTIONS);
}
