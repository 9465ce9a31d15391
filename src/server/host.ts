/** The Host header check: a request must name one well-formed host, or it is 400 before any routing. */
import { type HttpProblem, invalid } from "./problem.ts";

// RFC 9110 Host = uri-host [ ":" port ], narrowed to what a URL parser accepts unchanged: an IP literal, or
// a name of ASCII letters, digits, ".", "-", "_" and "~" (clients send IDNs as A-labels).
const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~-]+)(?::([0-9]{1,5}))?$/;

/** Why a Host header value is unusable (missing, empty, several, or not host[:port]), or undefined if fine. */
export function hostProblem(value: string | null): HttpProblem | undefined {
  if (value === null) return invalid("Missing Host header: HTTP/1.1 requests must name the host");
  if (value.trim() === "") return invalid("Empty Host header: expected host or host:port");
  const match = HOST.exec(value);
  const port = match?.[1];
  if (!match || (port !== undefined && Number(port) > 65535)) {
    return invalid(
      `Malformed Host header ${JSON.stringify(value.slice(0, 100))}: expected host or host:port`,
    );
  }
  return undefined;
}
