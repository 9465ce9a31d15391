/**
 * A small HTTP proxy in front of the real server that injects what only a proxy produces: a gateway's HTML
 * 502, a lost response, a hang, a dropped connection. The server's own 500 and 503 come from the real server
 * (tests/e2e/server_failures_test.ts), never from here.
 */

/** What the proxy does with one request. */
export type Fault =
  | "pass" // forward to the server
  | "502" // answer a gateway's HTML 502 without forwarding
  | "lose-response" // forward, then answer 502 as if the gateway lost the server's answer
  | "hang"; // never answer (until the client gives up)

/** A running proxy; `await using proxy = startFaultyProxy(url)` stops it at the end of the scope. */
export interface FaultyProxy extends AsyncDisposable {
  url: string;
  /** Requests seen, as "METHOD /path". */
  seen: string[];
  /** Queues faults for the next requests; when the queue is empty requests pass. */
  inject(...faults: Fault[]): void;
  /** Stops the proxy, letting hanging requests end (again: no effect). */
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port in front of `target`. */
export function startFaultyProxy(target: string): FaultyProxy {
  const queue: Fault[] = [];
  const seen: string[] = [];
  const hanging = new Set<() => void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const url = new URL(req.url);
    seen.push(`${req.method} ${url.pathname}`);
    const fault = queue.shift() ?? "pass";
    if (fault === "502") return new Response("<html>Bad Gateway</html>", { status: 502 });
    if (fault === "hang") {
      // Held until close(); the client gives up on its own timeout first.
      await new Promise<void>((resolve) => hanging.add(resolve));
      return new Response("late", { status: 504 });
    }
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
    const upstream = await fetch(target + url.pathname + url.search, {
      method: req.method,
      headers: req.headers,
      ...(body ? { body } : {}),
    });
    if (fault === "lose-response") {
      await upstream.body?.cancel();
      return new Response("<html>Bad Gateway</html>", { status: 502 });
    }
    return new Response(upstream.body, { status: upstream.status, headers: upstream.headers });
  });
  let closed: Promise<void> | undefined;
  const close = () => {
    for (const resolve of hanging) resolve();
    return closed ??= server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    inject: (...faults) => void queue.push(...faults),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A listener that drops connections; `using listener = startDroppingListener()` closes it. */
export interface DroppingListener extends Disposable {
  url: string;
  close(): void;
}

/** A TCP listener that accepts each connection and closes it at once, as a crashed server would. */
export function startDroppingListener(): DroppingListener {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  (async () => {
    for await (const conn of listener) {
      try {
        await conn.read(new Uint8Array(1024));
      } catch { /* the client may have gone */ }
      conn.close();
    }
  })().catch(() => {});
  let closed = false;
  const close = () => {
    if (!closed) listener.close();
    closed = true;
  };
  return { url: `http://127.0.0.1:${listener.addr.port}`, close, [Symbol.dispose]: close };
}

/** A loopback port with nothing listening on it. */
export function closedPortUrl(): string {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return `http://127.0.0.1:${port}`;
}
