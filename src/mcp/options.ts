import { quoted, ValidationError } from "../errors.ts";
import { type GlobalOptions, parseGlobalOptions, type RawGlobalOptions } from "../session/options.ts";
import { isToolName, READ_ONLY_TOOLS, TOOL_NAMES, type ToolName } from "./tool_names.ts";

/** Parsed options of `phyware mcp`. */
export interface McpOptions {
  globals: GlobalOptions;
  /** The tools to offer, in tools/list order. */
  tools: ToolName[];
}

/** Raw values commander collects for `phyware mcp`. */
export interface RawMcpOptions extends RawGlobalOptions {
  readOnly?: true;
  tools?: string;
}

/** Chooses the tools from --tools and --read-only; an unknown name, or a writing tool under --read-only, exits 4. */
export function chooseTools(list: string | undefined, readOnly: boolean): ToolName[] {
  if (list === undefined) return TOOL_NAMES.filter((name) => !readOnly || READ_ONLY_TOOLS.has(name));
  const asked = new Set<string>(list.split(",").map((name) => name.trim()).filter((name) => name !== ""));
  if (asked.size === 0) throw new ValidationError(`Invalid --tools ${quoted(list)}: name at least one tool`);
  for (const name of asked) {
    if (!isToolName(name)) {
      throw new ValidationError(
        `Invalid --tools ${quoted(list)}: unknown tool ${quoted(name)}; the tools are ${
          TOOL_NAMES.join(", ")
        }`,
      );
    }
    if (readOnly && !READ_ONLY_TOOLS.has(name)) {
      throw new ValidationError(
        `Invalid --tools ${quoted(list)}: ${name} changes users, and --read-only offers only ${
          [...READ_ONLY_TOOLS].join(", ")
        }`,
      );
    }
  }
  return TOOL_NAMES.filter((name) => asked.has(name));
}

/** Parses the options of `phyware mcp`. */
export function parseMcpOptions(raw: RawMcpOptions): McpOptions {
  return { globals: parseGlobalOptions(raw), tools: chooseTools(raw.tools, raw.readOnly === true) };
}
