/**
 * Deterministic `.zip` writer on fflate (deflate level 9): entries sorted by name, one fixed timestamp, Unix
 * permission bits, no extra fields, so the same inputs give the same bytes on any runtime.
 */
import { type Zippable, zipSync } from "fflate";
import type { ArchiveEntry } from "./archive_entry.ts";

/**
 * The Date fflate needs to write `unixSeconds` as a UTC DOS time: fflate reads the local-time fields of the
 * Date, so this Date's local fields are the UTC ones. Clamped to the format's 1980 epoch.
 */
export function dosStamp(unixSeconds: number): Date {
  const d = new Date(Math.max(unixSeconds, 315532800) * 1000);
  return new Date(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

/** Builds a zip archive whose bytes depend only on the entries and `mtime`. */
export function zip(entries: ArchiveEntry[], mtime: number): Uint8Array {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const stamp = dosStamp(mtime);
  const files: Zippable = {};
  for (const entry of sorted) {
    // "Made by" Unix (3), so that unzip restores the permission bits kept in the external attributes.
    files[entry.name] = [entry.data, {
      level: 9,
      mtime: stamp,
      os: 3,
      attrs: ((0o100000 | entry.mode) << 16) >>> 0,
    }];
  }
  return zipSync(files);
}
