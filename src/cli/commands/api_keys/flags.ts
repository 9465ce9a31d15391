/** The flags of the api-keys verbs, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { flags } from "../../../flags/spec.ts";
import { KEY_FIELDS_HELP } from "./fields.ts";

/** --fields of list and revoke. */
const FIELDS_FLAG = { long: "--fields", value: "list", help: KEY_FIELDS_HELP } as const;

/** The flags of `api-keys create`. */
export const CREATE_FLAGS = flags(
  { long: "--name", value: "name", help: "what the key is for, such as ci or alice-laptop (required)" },
  {
    long: "--scope",
    value: "scope",
    repeatable: true,
    help: "a scope the key holds, such as admin:users; repeat for several (default: none)",
  },
  {
    long: "--expires-in",
    value: "span",
    help: "stop working after this long, such as 30m, 12h, 90d or 2w (default: never)",
  },
  {
    long: "--fields",
    value: "list",
    help: "comma-separated fields to print, in order: id, name, scopes, status, expires_at, last_used_at, " +
      "user_id, created_at, revoked_at, key",
  },
);

/** The flags of `api-keys list`. */
export const LIST_FLAGS = flags(
  { long: "--limit", value: "n", help: "stop after this many keys" },
  FIELDS_FLAG,
);

/** The flags of `api-keys revoke`. */
export const REVOKE_FLAGS = flags(
  { long: "--yes", short: "-y", help: "do not ask for confirmation" },
  FIELDS_FLAG,
);
