/** Which address a request comes from, for per-address limits. */
import type { RequestInfo } from "../context.ts";

/**
 * The socket's peer address; behind a trusted proxy (`--trust-proxy`), the last X-Forwarded-For entry,
 * the one that proxy appended (earlier entries are whatever the client chose to send). "unknown" when
 * neither says.
 */
export function clientAddress(request: Request, info: RequestInfo | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers.get("x-forwarded-for")?.split(",").map((part) => part.trim())
      .filter((part) => part !== "");
    const last = forwarded?.[forwarded.length - 1];
    if (last !== undefined) return last.slice(0, 100);
  }
  return info?.remoteAddress ?? "unknown";
}
