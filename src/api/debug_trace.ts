/**
 * `--debug` and `PHYWARE_DEBUG=1`: a fetch that writes every request and response (method, URL, status,
 * headers, and bodies up to 4 KiB) to a sink, with every secret redacted: the Authorization value, any
 * phyware token (`phy_`, `phs_`, `phi_`) wherever it appears, and the values of members named like secrets.
 */

/** Most bytes of a body shown; the rest is counted, not shown. */
export const MAX_TRACE_BODY = 4096;

/** Headers whose value is a credential, shown only as `[redacted]`. */
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);
/** Any token phyware or PhyCloud issues: `phy_` API keys, `phs_` sessions, `phi_` invitations. */
const TOKEN = /\b(ph[ysi]_)[0-9A-Za-z]+/g;
/** JSON members whose string value is a secret, whatever it looks like. */
const SECRET_MEMBER = /("(?:key|api_key|apiKey|token|secret|password|session)"\s*:\s*)"(?:[^"\\]|\\.)*"/g;

/** Replaces every secret in a text (a URL, a header value, a body) with `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_MEMBER, '$1"[redacted]"').replace(TOKEN, "$1[redacted]");
}

function headerLines(prefix: string, headers: Headers): string {
  let lines = "";
  for (const [name, value] of headers) {
    const shown = SECRET_HEADERS.has(name)
      ? (/^bearer\s/i.test(value) ? "Bearer [redacted]" : "[redacted]")
      : redactSecrets(value);
    lines += `${prefix} ${name}: ${shown}\n`;
  }
  return lines;
}

function bodyText(prefix: string, bytes: Uint8Array): string {
  if (bytes.byteLength === 0) return "";
  const shown = new TextDecoder().decode(bytes.subarray(0, MAX_TRACE_BODY));
  const cut = bytes.byteLength > MAX_TRACE_BODY
    ? `\n${prefix} [${bytes.byteLength - MAX_TRACE_BODY} more bytes not shown]`
    : "";
  // Control characters (an escape sequence in a server's answer) are shown, not sent to the terminal.
  const safe = redactSecrets(shown).replace(/\p{Cc}/gu, (c) => c === "\n" || c === "\t" ? c : "?");
  return `${safe.split("\n").map((line) => `${prefix} ${line}`).join("\n")}${cut}\n`;
}

async function requestBody(init: RequestInit | undefined): Promise<Uint8Array> {
  const body = init?.body;
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === "string") return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  return new Uint8Array(await new Response(body).arrayBuffer());
}

/**
 * Wraps `fetch` so that each exchange is written to `write` (one block for the request, one for the
 * response, `>` and `<` before each line, as curl -v does). The response is read through a clone, so the
 * caller gets it whole.
 */
export function tracingFetch(inner: typeof fetch, write: (text: string) => Promise<void>): typeof fetch {
  const traced = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const sent = await requestBody(init);
    await write(
      `> ${request.method} ${redactSecrets(request.url)}\n${headerLines(">", request.headers)}${
        bodyText(">", sent)
      }`,
    );
    const started = performance.now();
    let response: Response;
    try {
      response = await inner(input, init);
    } catch (error) {
      await write(`< (no response: ${error instanceof Error ? error.message : String(error)})\n`);
      throw error;
    }
    const ms = Math.round(performance.now() - started);
    const received = new Uint8Array(await response.clone().arrayBuffer());
    await write(
      `< ${response.status} ${response.statusText} (${ms} ms)\n${headerLines("<", response.headers)}${
        bodyText("<", received)
      }`,
    );
    return response;
  };
  return traced as typeof fetch;
}

/** Whether tracing is on: `--debug`, or PHYWARE_DEBUG set to 1 (or true) in the environment. */
export function debugWanted(flag: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.PHYWARE_DEBUG?.toLowerCase();
  return flag || value === "1" || value === "true" || value === "api";
}
