import type { UserDetails } from "../../api/types.ts";
import { quoted, ValidationError } from "../../errors.ts";
import type { OutputFormat, OutputRecord } from "../../output/mod.ts";

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
 * `defaults` when the flag was not given or the format is `id`, which prints ids only.
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

/**
 * Parses `--fields` against any record's field names (`all`): what parseFields does for users, for the
 * other resources (API keys, events).
 *
 * @example parseFieldList("name,id", ["id"], ["id", "name"], "table") // ["name", "id"]
 */
export function parseFieldList<F extends string>(
  raw: string | undefined,
  defaults: readonly F[],
  all: readonly F[],
  format: OutputFormat,
): readonly F[] {
  if (raw === undefined || format === "id") return defaults;
  const names = raw.split(",").map((name) => name.trim());
  const fields: F[] = [];
  for (const name of names) {
    const field = all.find((f) => f === name);
    if (field === undefined) {
      throw new ValidationError(
        `Invalid --fields ${quoted(raw)}: ${
          name === "" ? "an empty field name" : `unknown field ${quoted(name)}`
        }`,
        { remediation: `Valid fields: ${all.join(", ")}` },
      );
    }
    if (!fields.includes(field)) fields.push(field);
  }
  return fields;
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
