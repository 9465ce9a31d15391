/** Formats one CSV line (RFC 4180): fields with a comma, quote or line break are quoted. */
export function csvLine(values: ReadonlyArray<string | null>): string {
  return values.map((v) => {
    const s = v ?? "";
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  }).join(",") + "\r\n";
}
