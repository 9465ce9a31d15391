/**
 * Worker that builds one release archive, so that several targets compress at once (zlib runs on the
 * calling thread, and gzip -9 of a 100 MiB binary takes seconds).
 */
import type { ArchiveEntry } from "./archive_entry.ts";
import { tarGz } from "./tar_gz.ts";
import { zip } from "./zip.ts";

/** What the worker is asked to pack. */
export interface PackRequest {
  kind: "tar.gz" | "zip";
  entries: ArchiveEntry[];
  mtime: number;
}

interface WorkerScope {
  onmessage: ((event: MessageEvent<PackRequest>) => void) | null;
  postMessage(message: Uint8Array, transfer: Transferable[]): void;
  close(): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  const { kind, entries, mtime } = event.data;
  const bytes = kind === "zip" ? zip(entries, mtime) : tarGz(entries, mtime);
  scope.postMessage(bytes, [bytes.buffer as ArrayBuffer]);
  scope.close();
};
