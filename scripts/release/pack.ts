/** Packs a release archive in a worker thread; resolves with the archive bytes. */
import type { PackRequest } from "./pack_worker.ts";

/** Builds the archive described by `request` off the main thread. */
export function packInWorker(request: PackRequest): Promise<Uint8Array> {
  const worker = new Worker(new URL("./pack_worker.ts", import.meta.url), { type: "module" });
  return new Promise<Uint8Array>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<Uint8Array>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`Packing failed: ${event.message}`));
    };
    worker.postMessage(request);
  });
}
