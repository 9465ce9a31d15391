import type { UserDetails } from "../../../api/types.ts";
import type { OutputFormat, OutputRecord } from "../../../output/mod.ts";
import { parseFieldList } from "../shared/field_list.ts";

/** The spec's OUTPUT fields, in order: what list, invite and deactivate print. */
export const USER_FIELDS = ["id", "email", "status", "role"] as const;

/** What get prints: the spec's fields and the details the server returns. */
export const USER_DETAIL_FIELDS = [
  ...USER_FIELDS,
  "created_at",
  "invited_by",
  "activated_at",
  "deactivated_at",
] as const;

/** One field of the full user record. */
export type UserField = typeof USER_DETAIL_FIELDS[number];

/**
 * Parses `--fields`: comma-separated names of the full user record, order kept, duplicates dropped;
 * `defaults` when the flag was not given; refused with the format `id`, which prints ids only.
 *
 * @example parseFields("email,id", USER_FIELDS, "json") // ["email", "id"]
 */
export function parseFields(
  raw: string | undefined,
  defaults: readonly UserField[],
  format: OutputFormat,
): readonly UserField[] {
  return parseFieldList(raw, defaults, USER_DETAIL_FIELDS, format);
}

/** The chosen fields of a user, in the order asked for. */
export function pickFields(user: UserDetails, fields: readonly UserField[]): OutputRecord {
  const record: Record<string, string | null> = {};
  for (const field of fields) record[field] = user[field];
  return record;
}

/** Every field of a user, in a fixed order. */
export function userDetails(user: UserDetails): OutputRecord {
  return pickFields(user, USER_DETAIL_FIELDS);
}
