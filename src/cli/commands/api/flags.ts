/** The flags of `phyware api`, declared once (src/flags/spec.ts); ./mod.ts gives them to commander. */
import { flags } from "../../../flags/spec.ts";

/** The flags of `phyware api` besides the connection options. */
export const API_FLAGS = flags({
  long: "--data",
  value: "json",
  help: "JSON request body: the JSON itself, @FILE to read a file, or @- for stdin",
});
