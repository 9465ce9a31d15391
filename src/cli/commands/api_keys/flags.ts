/** The flags of the api-keys verbs, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { flags } from "../../../flags/spec.ts";
import { YES_FLAG } from "../shared/confirm.ts";
import { fieldsFlag } from "../shared/field_list.ts";
import { LIMIT_FLAG } from "../shared/limit_flag.ts";
import {
  API_KEY_DETAIL_FIELDS,
  API_KEY_FIELDS,
  CREATED_KEY_DETAIL_FIELDS,
  CREATED_KEY_FIELDS,
} from "./fields.ts";

/** --fields of list and revoke. */
const FIELDS_FLAG = fieldsFlag(API_KEY_FIELDS, API_KEY_DETAIL_FIELDS);

/** The flags of `api-keys create`. */
export const CREATE_FLAGS = flags(
  { long: "--name", value: "name", help: "what the key is for, such as ci or alice-laptop (required)" },
  {
    long: "--scope",
    value: "scope",
    repeatable: true,
    defaultText: "none",
    help: "a scope the key holds, such as admin:users; repeat for several",
  },
  {
    long: "--expires-in",
    value: "span",
    defaultText: "never",
    help: "stop working after this long, such as 30m, 12h, 90d or 2w",
  },
  // create refuses -o id (./create.ts), so its help does not say "not with -o id".
  fieldsFlag(CREATED_KEY_FIELDS, CREATED_KEY_DETAIL_FIELDS, false),
);

/** The flags of `api-keys list`. */
export const LIST_FLAGS = flags({ ...LIMIT_FLAG, help: "stop after this many keys" }, FIELDS_FLAG);

/** The flags of `api-keys revoke`. */
export const REVOKE_FLAGS = flags(YES_FLAG, FIELDS_FLAG);
