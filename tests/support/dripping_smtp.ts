/**
 * A fake SMTP server in front of a real one, for what the real one cannot produce: its first connection
 * takes a message and then, instead of answering the end of DATA, drips a continuation line ("250-") every
 * `dripMs`, forever: under any socket timeout, so only a total deadline ends the send. Every later
 * connection is passed through to `target` (a real SMTP server, such as the sink).
 */

/** A running fake; `await using drip = startDrippingSmtp(target)` stops it at the end of the scope. */
export interface DrippingSmtp extends AsyncDisposable {
  /** `smtp://127.0.0.1:PORT`. */
  smtpUrl: string;
  /** When the dripping connection took the end of a message (performance.now()), once it has. */
  dataEndedAt(): number | undefined;
  /** When the client closed the dripping connection (performance.now()), once it has. */
  closedAt(): number | undefined;
  close(): Promise<void>;
}

const encoder = new TextEncoder();

async function drip(conn: Deno.Conn, dripMs: number, times: { ended?: number; closed?: number }) {
  const say = (line: string) => conn.write(encoder.encode(`${line}\r\n`));
  const decoder = new TextDecoder();
  let buffer = "";
  let inData = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    await say("220 drip.test ESMTP");
    for await (const chunk of conn.readable) {
      if (timer !== undefined) continue; // dripping: nothing more is answered
      buffer += decoder.decode(chunk, { stream: true });
      for (;;) {
        if (inData) {
          const end = buffer.indexOf("\r\n.\r\n");
          if (end < 0) break;
          times.ended = performance.now();
          // Drip until the client hangs up (a write then fails, or the read loop ends).
          timer = setInterval(() => say("250-still thinking").catch(() => clearInterval(timer)), dripMs);
          break;
        }
        const newline = buffer.indexOf("\r\n");
        if (newline < 0) break;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === "EHLO" || verb === "HELO") await say("250 drip.test");
        else if (verb === "DATA") {
          inData = true;
          await say("354 go ahead");
        } else if (verb === "QUIT") {
          await say("221 bye");
          return;
        } else await say("250 ok");
      }
    }
  } catch {
    /* reset by the client */
  } finally {
    clearInterval(timer);
    times.closed ??= performance.now();
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

async function pipe(conn: Deno.Conn, port: number) {
  try {
    const upstream = await Deno.connect({ hostname: "127.0.0.1", port });
    await Promise.allSettled([
      conn.readable.pipeTo(upstream.writable),
      upstream.readable.pipeTo(conn.writable),
    ]);
  } catch { /* either side went away */ }
}

/** Starts the fake on a free loopback port; later connections go to `target` (`smtp://127.0.0.1:PORT`). */
export function startDrippingSmtp(target: string, dripMs = 200): DrippingSmtp {
  const port = Number(new URL(target).port);
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const times: { ended?: number; closed?: number } = {};
  const tasks: Promise<void>[] = [];
  const accepting = (async () => {
    try {
      for await (const conn of listener) {
        conns.push(conn);
        tasks.push(conns.length === 1 ? drip(conn, dripMs, times) : pipe(conn, port));
      }
    } catch { /* closed */ }
  })();
  const close = async () => {
    try {
      listener.close();
    } catch { /* already closed */ }
    for (const conn of conns) {
      try {
        conn.close();
      } catch { /* already closed */ }
    }
    await accepting;
    await Promise.allSettled(tasks);
  };
  return {
    smtpUrl: `smtp://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    dataEndedAt: () => times.ended,
    closedAt: () => times.closed,
    close,
    [Symbol.asyncDispose]: close,
  };
}
