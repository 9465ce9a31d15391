/** The flags of the api-keys verbs, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { flags } from "../../../flags/spec.ts";
import { YES_FLAG } from "../shared/confirm.ts";
import { FIELDS_FLAG as ANY_FIELDS_FLAG } from "../shared/field_list.ts";
import { LIMIT_FLAG } from "../shared/limit_flag.ts";
import { CREATED_KEY_FIELDS_HELP, KEY_FIELDS_HELP } from "./fields.ts";

/** --fields of list and revoke. */
const FIELDS_FLAG = { ...ANY_FIELDS_FLAG, help: KEY_FIELDS_HELP } as const;

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
  { ...ANY_FIELDS_FLAG, help: CREATED_KEY_FIELDS_HELP },
);

/** The flags of `api-keys list`. */
export const LIST_FLAGS = flags({ ...LIMIT_FLAG, help: "stop after this many keys" }, FIELDS_FLAG);

/** The flags of `api-keys revoke`. */
export const REVOKE_FLAGS = flags(YES_FLAG, FIELDS_FLAG);
