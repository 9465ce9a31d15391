import { ansi, colorStatus } from "./ansi.ts";
import type { OutputRecord } from "./format.ts";
import { neutralise } from "./terminal_text.ts";

function cell(value: string | null): string {
  // A value from the server must not move the cursor or break the row.
  return value === null ? "-" : neutralise(value);
}

type Width = (text: string) => number;

/**
 * The display width function for these texts: printable ASCII is one column a character; anything else
 * (wide, combining, emoji) needs string-width, which is loaded only then since it costs ~2 ms to load.
 */
async function widthFor(texts: readonly string[]): Promise<Width> {
  if (texts.every((t) => /^[\x20-\x7e]*$/.test(t))) return (t) => t.length;
  return (await import("string-width")).default;
}

/** Renders rows as aligned columns under an upper-case header; colour only when asked. */
export async function renderTable(
  columns: readonly string[],
  rows: readonly OutputRecord[],
  color: boolean,
): Promise<string> {
  const header = columns.map((c) => c.toUpperCase());
  const body = rows.map((row) => columns.map((c) => cell(row[c] ?? null)));
  const stringWidth = await widthFor(body.flat());
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
  // Keys are field names (ASCII), and values stand last on their line, so no display widths are needed.
  // Loops rather than map: `users get` then never compiles JavaScriptCore's map builtin (see flagKey).
  const keys = Object.keys(record);
  let width = 0;
  for (const k of keys) width = Math.max(width, k.length + 1);
  let text = "";
  for (const k of keys) {
    const value = cell(record[k] ?? null);
    const label = `${k}:`.padEnd(width);
    const shown = color && k === "status" ? colorStatus(value) : value;
    text += `${color ? ansi.bold(label) : label} ${shown}\n`;
  }
  return text;
}
