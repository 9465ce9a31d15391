import type { OutputRecord } from "./format.ts";

// The YAML library is loaded only for `--output yaml`, to keep it off every other command's start-up.
async function yaml(): Promise<{ stringify(value: unknown): string }> {
  return await import("yaml");
}

/** Renders records as items of a YAML block sequence; pages rendered one by one concatenate. */
export async function yamlItems(records: readonly OutputRecord[]): Promise<string> {
  return records.length === 0 ? "" : (await yaml()).stringify(records);
}

/** Renders one record or document as a YAML mapping. */
export async function yamlRecord(record: OutputRecord | Record<string, unknown>): Promise<string> {
  return (await yaml()).stringify(record);
}
