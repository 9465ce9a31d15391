/**
 * HAProxy (Debian's `haproxy`) in front of several server instances, as an operator runs them: round robin,
 * health checks on /healthz, and a request whose instance refused the connection sent to another one.
 */
import { freePort } from "./postgres.ts";
import { hasProgram, needs } from "./programs.ts";

// Debian installs it in /usr/sbin, which a user's PATH often leaves out.
const HAPROXY = hasProgram("haproxy") ? "haproxy" : "/usr/sbin/haproxy";

/** Test options for a test that needs HAProxy. */
export function needsHaproxy(): { ignore: boolean } {
  return hasProgram(HAPROXY) ? { ignore: false } : needs(["haproxy", "haproxy"]);
}

/** A running HAProxy; `await using lb = await startHaproxy(ports)` stops it. */
export interface LoadBalancer extends AsyncDisposable {
  /** `http://127.0.0.1:PORT` of its frontend. */
  url: string;
}

/** The configuration the README's "Several instances" section shows, for instances on 127.0.0.1 `ports`. */
export function haproxyConfig(frontendPort: number, ports: readonly number[]): string {
  return [
    "defaults",
    "  mode http",
    "  timeout connect 2s",
    "  timeout client 30s",
    "  timeout server 30s",
    // A connection refused by a dead instance is retried on another one: phyware's writes are safe to retry
    // only with an Idempotency-Key, and HAProxy retries only requests whose connection never got through.
    "  retries 3",
    "  option redispatch 1",
    "  retry-on conn-failure empty-response",
    `frontend phycloud`,
    `  bind 127.0.0.1:${frontendPort}`,
    "  default_backend phyware",
    "backend phyware",
    "  balance roundrobin",
    // HTTP/1.1 with a Host header: the server answers a request without one with 400.
    "  option httpchk",
    "  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host localhost",
    ...ports.map((port, i) => `  server p${i + 1} 127.0.0.1:${port} check inter 250ms fall 2 rise 1`),
    "",
  ].join("\n");
}

/** Starts HAProxy in the foreground on a free port, in front of the instances on `ports`. */
export async function startHaproxy(ports: readonly number[]): Promise<LoadBalancer> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-haproxy-" });
  const port = freePort();
  const config = `${dir}/haproxy.cfg`;
  await Deno.writeTextFile(config, haproxyConfig(port, ports));
  const child = new Deno.Command(HAPROXY, {
    args: ["-db", "-f", config],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0;; i++) {
    try {
      const response = await fetch(`${url}/healthz`);
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (i > 200) throw new Error("haproxy did not answer /healthz within 10 s");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
}
