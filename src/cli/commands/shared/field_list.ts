/** `--fields` of every command that prints records (users, API keys, events). */
import { quoted, ValidationError } from "../../../errors.ts";
import type { OutputFormat } from "../../../output/mod.ts";

/** `--fields`, declared once; each command derives its help from the fields it prints (fieldsHelp). */
export const FIELDS_FLAG = {
  long: "--fields",
  value: "list",
  help: "comma-separated fields to print, in order (not with -o id)",
} as const;

/**
 * The help of a command's `--fields`: the fields it can print, in the order it prints them, and that -o id
 * (ids only) refuses them, unless the command refuses -o id itself (`idOutput` false).
 */
export function fieldsHelp(all: readonly string[], idOutput = true): string {
  return `comma-separated fields to print, in order: ${all.join(", ")}${idOutput ? " (not with -o id)" : ""}`;
}

/**
 * A command's `--fields`, derived from FIELDS_FLAG: its help lists `available` (see fieldsHelp), and it
 * carries `defaults` and `available` for `phyware schema`'s output_fields.
 */
export function fieldsFlag<const D extends readonly string[], const A extends readonly string[]>(
  defaults: D,
  available: A,
  idOutput = true,
) {
  return {
    ...FIELDS_FLAG,
    help: fieldsHelp(available, idOutput),
    fields: { default: defaults, available },
  } as const;
}

/**
 * Parses `--fields` against any record's field names (`all`): comma-separated names, order kept,
 * duplicates dropped; `defaults` when the flag was not given; refused with the format `id` (ids only).
 *
 * @example parseFieldList("name,id", ["id"], ["id", "name"], "table") // ["name", "id"]
 */
export function parseFieldList<F extends string>(
  raw: string | undefined,
  defaults: readonly F[],
  all: readonly F[],
  format: OutputFormat,
): readonly F[] {
  if (raw === undefined) return defaults;
  if (format === "id") {
    throw new ValidationError("Use --fields or --output id, not both", {
      remediation: "--output id prints the ids only: drop --fields, or choose another --output",
    });
  }
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
