import type { Handler, ListeningServer, ServeOptions } from "../context.ts";

interface DenoServe {
  serve(
    options: { hostname: string; port: number; onListen?: () => void },
    handler: (request: Request, info: { remoteAddr: { hostname?: string } }) => Response | Promise<Response>,
  ): { addr: { port: number; hostname: string }; shutdown(): Promise<void> };
}

interface BunServer {
  port: number;
  hostname: string;
  stop(closeActiveConnections?: boolean): Promise<void> | void;
  requestIP(request: Request): { address: string } | null;
}

interface BunServe {
  serve(options: {
    hostname: string;
    port: number;
    fetch: (request: Request, server: BunServer) => Response | Promise<Response>;
    idleTimeout?: number;
  }): BunServer;
}

/** Starts an HTTP listener with the runtime's own server (Deno.serve or Bun.serve, the two phyware ships on). */
export function serve(handler: Handler, options: ServeOptions): Promise<ListeningServer> {
  const host = globalThis as { Deno?: DenoServe; Bun?: BunServe };
  if (host.Deno) {
    // Deno binds synchronously (and calls onListen before serve() returns), so addr is ready here; the
    // no-op onListen also keeps Deno from printing its own "Listening on" line to stdout.
    const server = host.Deno.serve(
      { ...options, onListen: () => {} },
      (request, info) => handler(request, { remoteAddress: info.remoteAddr.hostname }),
    );
    return Promise.resolve({
      port: server.addr.port,
      hostname: server.addr.hostname,
      close: () => server.shutdown(),
    });
  }
  if (host.Bun) {
    // No maxRequestBodySize: the app reads bodies as streams and answers 413 past 64 KiB itself, with a
    // problem body and a request id, which Bun's own early 413 would not have.
    const server = host.Bun.serve({
      ...options,
      // The peer's address costs a system call (getpeername): asked only when read.
      fetch: (request, bun) =>
        handler(request, {
          get remoteAddress() {
            return bun.requestIP(request)?.address;
          },
        }),
      idleTimeout: 30,
    });
    return Promise.resolve({
      port: server.port,
      hostname: server.hostname,
      close: async () => {
        await server.stop(false);
      },
    });
  }
  return Promise.reject(new Error("phyware server runs on Deno or Bun: this runtime has neither's server"));
}
