/** A file to put in a release archive. */
export interface ArchiveEntry {
  /** Path inside the archive (no leading slash). */
  name: string;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
  data: Uint8Array;
}
