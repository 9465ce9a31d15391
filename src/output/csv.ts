/** Formats one CSV line (RFC 4180): fields with a comma, quote or line break are quoted. */
export function csvLine(values: ReadonlyArray<string | null>): string {
  return values.map((v) => {
    const s = neutraliseFormula(v ?? "");
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  }).join(",") + "\r\n";
}

/**
 * Prefixes a value a spreadsheet would run as a formula with an apostrophe (OWASP's advice on CSV
 * injection), since CSV output is mostly opened in spreadsheets; scripts should use json, ndjson or id.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
