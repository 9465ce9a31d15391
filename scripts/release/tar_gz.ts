/**
 * Deterministic `.tar.gz` writer: entries sorted by name, one fixed mtime, owner 0:0 with no user or group
 * names, and a gzip header without a timestamp or file name, so the same inputs give the same bytes.
 */
import { gzipSync } from "fflate";
import type { ArchiveEntry } from "./archive_entry.ts";

const BLOCK = 512;

function writeString(header: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > length) throw new Error(`Tar field too long: "${value}"`);
  header.set(bytes, offset);
}

function writeOctal(header: Uint8Array, offset: number, length: number, value: number): void {
  writeString(header, offset, length, `${value.toString(8).padStart(length - 1, "0")}\0`);
}

function tarHeader(entry: ArchiveEntry, mtime: number): Uint8Array {
  const header = new Uint8Array(BLOCK);
  writeString(header, 0, 100, entry.name);
  writeOctal(header, 100, 8, entry.mode);
  writeOctal(header, 108, 8, entry.owner ?? 0); // uid
  writeOctal(header, 116, 8, entry.owner ?? 0); // gid
  writeOctal(header, 124, 12, entry.data.length);
  writeOctal(header, 136, 12, mtime);
  header.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  writeString(header, 156, 1, entry.name.endsWith("/") ? "5" : "0"); // directory or regular file
  writeString(header, 257, 6, "ustar\0");
  writeString(header, 263, 2, "00");
  let sum = 0;
  for (const byte of header) sum += byte;
  writeString(header, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

/** Builds an uncompressed ustar archive of the entries. */
export function tar(entries: ArchiveEntry[], mtime: number): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let size = 2 * BLOCK; // two zero blocks end the archive
  for (const entry of sorted) size += BLOCK + Math.ceil(entry.data.length / BLOCK) * BLOCK;
  const out = new Uint8Array(size);
  let at = 0;
  for (const entry of sorted) {
    out.set(tarHeader(entry, mtime), at);
    at += BLOCK;
    out.set(entry.data, at);
    at += Math.ceil(entry.data.length / BLOCK) * BLOCK;
  }
  return out;
}

/**
 * gzip -9 with fflate: no timestamp, no file name, OS byte Unix on every platform. fflate is plain JavaScript,
 * so the bytes do not depend on which zlib the runtime links.
 */
export function gzip(data: Uint8Array): Uint8Array {
  return gzipSync(data, { level: 9, mtime: 0 });
}

/** Builds a gzip-compressed tar archive whose bytes depend only on the entries and `mtime`. */
export function tarGz(entries: ArchiveEntry[], mtime: number): Uint8Array {
  return gzip(tar(entries, mtime));
}
