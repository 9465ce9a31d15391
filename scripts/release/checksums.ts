/** The `checksums.txt` file: SHA-256 of every archive, in the format `sha256sum -c` reads. */
import { createHash } from "node:crypto";

/** Lowercase hex SHA-256 of the data. */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Renders `<hex>  <name>` lines (two spaces: text mode), sorted by name, ending with a newline. */
export function formatChecksums(sums: ReadonlyMap<string, string>): string {
  const names = [...sums.keys()].sort();
  return names.map((name) => `${sums.get(name)}  ${name}\n`).join("");
}

/** Parses `sha256sum` output (text or binary mode) into name -> hex; throws on a malformed line. */
export function parseChecksums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "") continue;
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!match) throw new Error(`Cannot parse checksums line ${index + 1}: "${line}"`);
    sums.set(match[2] as string, match[1] as string);
  }
  return sums;
}
