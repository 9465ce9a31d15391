/** The fields `phyware api-keys` prints, and how a key becomes a printable record. */
import type { ApiKey, ApiKeyCreated } from "../../../api/types.ts";
import type { OutputFormat, OutputRecord } from "../../../output/mod.ts";
import { parseFieldList } from "../shared/field_list.ts";

/** What list and revoke print by default. */
export const API_KEY_FIELDS = ["id", "name", "scopes", "status", "expires_at", "last_used_at"] as const;

/** Every field of a key (never its secret). */
export const API_KEY_DETAIL_FIELDS = [...API_KEY_FIELDS, "user_id", "created_at", "revoked_at"] as const;

/** What create prints by default: the key's secret last, shown this once. */
export const CREATED_KEY_FIELDS = ["id", "name", "scopes", "expires_at", "key"] as const;

/** Every field create can print. */
export const CREATED_KEY_DETAIL_FIELDS = [...API_KEY_DETAIL_FIELDS, "key"] as const;

/** One field of a key (with `key`, the secret of a new one). */
export type ApiKeyField = typeof CREATED_KEY_DETAIL_FIELDS[number];

/** Parses `--fields` of list and revoke. */
export function parseKeyFields(raw: string | undefined, format: OutputFormat): readonly ApiKeyField[] {
  return parseFieldList<ApiKeyField>(raw, API_KEY_FIELDS, API_KEY_DETAIL_FIELDS, format);
}

/** The chosen fields of a key, in order; scopes as one space-separated string (as OAuth writes them). */
export function pickKeyFields(key: ApiKey | ApiKeyCreated, fields: readonly ApiKeyField[]): OutputRecord {
  const record: Record<string, string | null> = {};
  for (const field of fields) {
    if (field === "scopes") record.scopes = key.scopes.join(" ");
    else if (field === "key") record.key = "key" in key ? key.key : null;
    else record[field] = key[field];
  }
  return record;
}
