import type { Writer } from "../context.ts";
import { csvLine } from "./csv.ts";
import type { OutputFormat, OutputRecord } from "./format.ts";
import { renderKeyValue, renderTable } from "./table.ts";
import { escapeUnsafe, terminalDocument, terminalRecord } from "./terminal_text.ts";
import { yamlItems, yamlRecord } from "./yaml.ts";

export { OUTPUT_FORMATS, type OutputFormat, type OutputRecord, printable, useColor } from "./format.ts";

/** How to print. */
export interface RenderOptions {
  format: OutputFormat;
  /** Colour for the table format. */
  color: boolean;
  /** Columns of the table and CSV header, in order. */
  columns: readonly string[];
  /** Whether stdout is a terminal: then every format prints server text neutralised (see terminalRecord). */
  terminal: boolean;
}

/** The formats that print a whole document (any JSON value) as it is, with no columns. */
export type DocumentFormat = Extract<OutputFormat, "json" | "ndjson" | "yaml">;

/** Whether `format` prints whole documents (JSON, NDJSON, YAML) rather than rows. */
export function isDocumentFormat(format: OutputFormat): format is DocumentFormat {
  return format === "json" || format === "ndjson" || format === "yaml";
}

/** A document in JSON (indented), NDJSON (one line) or YAML; on a `terminal`, YAML's text is neutralised. */
export async function documentText(
  doc: Record<string, unknown>,
  format: DocumentFormat,
  terminal = false,
): Promise<string> {
  switch (format) {
    // The same data, with what could steer a terminal escaped (\u202e); JSON already escapes ESC.
    case "json":
      return escapeUnsafe(JSON.stringify(doc, null, 2)) + "\n";
    case "ndjson":
      return escapeUnsafe(JSON.stringify(doc)) + "\n";
    case "yaml":
      return await yamlRecord(terminal ? terminalDocument(doc) : doc);
  }
}

/** Writes one record: an object in JSON and YAML, a one-row table, key/value lines when `keyValue`. */
export async function writeRecord(
  out: Writer,
  record: OutputRecord,
  options: RenderOptions & { keyValue?: boolean },
): Promise<void> {
  if (options.terminal) record = terminalRecord(record);
  switch (options.format) {
    case "table":
      return await out.write(
        options.keyValue
          ? renderKeyValue(record, options.color)
          : await renderTable(options.columns, [record], options.color),
      );
    case "csv":
      return await out.write(
        csvLine(options.columns) + csvLine(options.columns.map((c) => record[c] ?? null)),
      );
    case "id":
      return await out.write(`${record.id ?? ""}\n`);
    default:
      return await out.write(await documentText(record, options.format));
  }
}

/** A list being printed page by page. */
export interface ListWriter {
  /** Prints (or, for the table, keeps) one page of records. */
  page(records: readonly OutputRecord[]): Promise<void>;
  /** Finishes the output (closes the JSON array, prints the table). */
  end(): Promise<void>;
}

/**
 * Streams a list: every format but the table writes each page as it arrives, so memory does not grow
 * with the number of records; the table buffers to align its columns.
 */
export function createListWriter(out: Writer, options: RenderOptions): ListWriter {
  const { format, columns } = options;
  let count = 0;
  let csvHeaderDone = false;
  const csvHeader = (): string => {
    if (csvHeaderDone) return "";
    csvHeaderDone = true;
    return csvLine(columns);
  };
  const table: OutputRecord[] = [];
  return {
    async page(records) {
      if (options.terminal) records = records.map(terminalRecord);
      if (records.length === 0 && format !== "csv") return;
      const first = count === 0;
      count += records.length;
      switch (format) {
        case "table":
          table.push(...records);
          return;
        case "json": {
          const items = records.map((r) =>
            "  " + escapeUnsafe(JSON.stringify(r, null, 2)).replaceAll("\n", "\n  ")
          );
          return await out.write((first ? "[\n" : ",\n") + items.join(",\n"));
        }
        case "ndjson":
          return await out.write(records.map((r) => escapeUnsafe(JSON.stringify(r)) + "\n").join(""));
        case "yaml":
          return await out.write(await yamlItems(records));
        case "csv":
          return await out.write(
            csvHeader() +
              records.map((r) => csvLine(columns.map((c) => r[c] ?? null))).join(""),
          );
        case "id":
          return await out.write(records.map((r) => `${r.id ?? ""}\n`).join(""));
      }
    },
    async end() {
      switch (format) {
        case "table":
          return await out.write(await renderTable(columns, table, options.color));
        case "json":
          return await out.write(count === 0 ? "[]\n" : "\n]\n");
        case "yaml":
          return count === 0 ? await out.write("[]\n") : undefined;
        case "csv":
          return await out.write(csvHeader());
        default:
          return;
      }
    },
  };
}
