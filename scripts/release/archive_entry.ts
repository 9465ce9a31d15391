/** A file to put in a release archive. */
export interface ArchiveEntry {
  /** Path inside the archive (no leading slash). */
  name: string;
  /** Unix permission bits, e.g. 0o755. */
  mode: number;
  data: Uint8Array;
  /** Owner uid and gid (0 when absent). */
  owner?: number;
}

/** A directory entry: a name ending in "/" and no data. */
export function directoryEntry(name: string, mode = 0o755, owner = 0): ArchiveEntry {
  return { name: name.endsWith("/") ? name : `${name}/`, mode, data: new Uint8Array(0), owner };
}
