/** The flags of `phyware version`, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { flags } from "../../../flags/spec.ts";
import { OUTPUT_FLAG } from "../../../session/flags.ts";

/** The flags of `phyware version`: one record, as a table or as JSON (no list formats, no ids). */
export const VERSION_FLAGS = flags({ ...OUTPUT_FLAG, choices: ["table", "json"] });
