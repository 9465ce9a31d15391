import stringWidth from "string-width";
import { ansi, colorStatus } from "./ansi.ts";
import type { OutputRecord } from "./format.ts";

function cell(value: string | null): string {
  // A value from the server must not move the cursor or break the row.
  return value === null ? "-" : value.replace(/\p{Cc}/gu, " ");
}

function pad(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - stringWidth(text)));
}

/** Renders rows as aligned columns under an upper-case header; colour only when asked. */
export function renderTable(
  columns: readonly string[],
  rows: readonly OutputRecord[],
  color: boolean,
): string {
  const header = columns.map((c) => c.toUpperCase());
  const body = rows.map((row) => columns.map((c) => cell(row[c] ?? null)));
  const widths = columns.map((_, i) =>
    Math.max(stringWidth(header[i] ?? ""), ...body.map((r) => stringWidth(r[i] ?? "")))
  );
  const line = (cells: string[], style: (col: string, text: string) => string) =>
    cells.map((text, i) => {
      const last = i === cells.length - 1;
      const styled = style(columns[i] ?? "", text);
      return last ? styled : styled + " ".repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(text)));
    }).join("  ") + "\n";
  const plain = (_: string, t: string) => t;
  const headerStyle = color ? (_: string, t: string) => ansi.bold(t) : plain;
  const cellStyle = color ? (col: string, t: string) => (col === "status" ? colorStatus(t) : t) : plain;
  return line(header, headerStyle) + body.map((r) => line(r, cellStyle)).join("");
}

/** Renders one record as aligned `key: value` lines, for `get`. */
export function renderKeyValue(record: OutputRecord, color: boolean): string {
  const keys = Object.keys(record);
  const width = Math.max(...keys.map((k) => stringWidth(k) + 1));
  return keys.map((k) => {
    const value = cell(record[k] ?? null);
    const label = pad(`${k}:`, width);
    const shown = color && k === "status" ? colorStatus(value) : value;
    return `${color ? ansi.bold(label) : label} ${shown}\n`;
  }).join("");
}
