/** Raw HTTP over a socket, for what only bytes on the wire show (what the runtime answers by itself). */
/** Sends raw bytes on a new connection and returns everything read until the peer closes or `ms` pass. */
export async function rawRequest(port: number, text: string, ms = 2000): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), ms);
  let out = "";
  try {
    await conn.write(new TextEncoder().encode(text));
    const decoder = new TextDecoder();
    for await (const chunk of conn.readable) out += decoder.decode(chunk, { stream: true });
  } catch {
    /* closed by the timer, or reset by the peer */
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch { /* already closed */ }
  }
  return out;
}
