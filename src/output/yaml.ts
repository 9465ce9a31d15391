import YAML from "yaml";
import type { OutputRecord } from "./format.ts";

/** Renders records as items of a YAML block sequence; pages rendered one by one concatenate. */
export function yamlItems(records: readonly OutputRecord[]): string {
  return records.length === 0 ? "" : YAML.stringify(records);
}

/** Renders one record as a YAML mapping. */
export function yamlRecord(record: OutputRecord): string {
  return YAML.stringify(record);
}
