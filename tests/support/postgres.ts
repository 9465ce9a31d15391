/**
 * A PostgreSQL cluster of the test's own: initdb in a temporary folder, the server on a free loopback port,
 * run as an unprivileged user (PostgreSQL refuses root: as root the cluster runs as Debian's `postgres` user).
 * Each test takes a fresh database of it with `cluster.database()`, so tests in one file share one cluster.
 */
import { needs } from "./programs.ts";

/** Test options for a test that needs PostgreSQL's server programs (Debian's `postgresql`). */
export function needsPostgres(): { ignore: boolean } {
  // pg_ctlcluster comes with the server package (postgresql-common), not with the psql client.
  return needs(["pg_ctlcluster", "postgresql"]);
}

/** Where initdb and postgres are: Debian keeps them out of PATH, in /usr/lib/postgresql/VERSION/bin. */
export function postgresBinDir(): string {
  try {
    const versions = [...Deno.readDirSync("/usr/lib/postgresql")]
      .filter((entry) => entry.isDirectory && /^\d+$/.test(entry.name))
      .map((entry) => Number(entry.name))
      .sort((a, b) => b - a);
    if (versions[0] !== undefined) return `/usr/lib/postgresql/${versions[0]}/bin`;
  } catch {
    // Not Debian's layout: expect the programs on PATH.
  }
  return "";
}

function program(name: string): string {
  const dir = postgresBinDir();
  return dir === "" ? name : `${dir}/${name}`;
}

/** A free TCP port on 127.0.0.1 (closed again at once; the caller binds it next). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

const asRoot = Deno.uid() === 0;

// As root, a command runs as the `postgres` user through setpriv (util-linux, on every Debian system), which execs it, so signals reach it directly.
function command(args: string[], output: "piped" | "null" = "piped"): Deno.Command {
  const [head = "", ...rest] = asRoot
    ? ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", ...args]
    : args;
  return new Deno.Command(head, { args: rest, stdout: output, stderr: output, stdin: "null" });
}

async function run(args: string[]): Promise<void> {
  const { code, stdout, stderr } = await command(args).output();
  if (code !== 0) {
    const text = new TextDecoder().decode(stderr) || new TextDecoder().decode(stdout);
    throw new Error(`${args.join(" ")} exited ${code}: ${text.trim()}`);
  }
}

/** A running cluster; `await using cluster = await startPostgres()` stops it and removes its folder. */
export interface PostgresCluster extends AsyncDisposable {
  /** The superuser's URL of the `postgres` database. */
  url: string;
  port: number;
  /** A new, empty database of the cluster; returns its URL. */
  database(): Promise<string>;
  /** Stops the server fast (connections are closed); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

let databases = 0;

/** Creates a new, empty database on the cluster whose URL (any database of it) is given; returns its URL. */
export async function createDatabase(clusterUrl: string): Promise<string> {
  const { default: postgres } = await import("postgres");
  const admin = postgres(clusterUrl, { onnotice: () => {}, max: 1 });
  try {
    const name = `t${Deno.pid}_${++databases}_${crypto.randomUUID().slice(0, 8)}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(clusterUrl);
    url.pathname = `/${name}`;
    return url.href;
  } finally {
    await admin.end();
  }
}

/** Initialises and starts a cluster on a free port; it trusts local connections to the user `phyware`. */
export async function startPostgres(): Promise<PostgresCluster> {
  const dir = await Deno.makeTempDir({ prefix: "phyware-pg-" });
  const data = `${dir}/data`;
  if (asRoot) {
    await new Deno.Command("chown", { args: ["postgres", dir] }).output();
  }
  await run([
    program("initdb"),
    "--pgdata",
    data,
    "--username",
    "phyware",
    "--auth",
    "trust",
    "--encoding",
    "UTF8",
    "--locale",
    "C",
    "--no-sync",
  ]);
  const port = freePort();
  let child: Deno.ChildProcess | undefined;
  const start = async () => {
    child = command([
      program("postgres"),
      "-D",
      data,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
      "-c",
      "max_connections=200",
      // The server's log goes to a file: a pipe nobody reads would fill and stop it.
      "-c",
      "logging_collector=on",
      "-c",
      `log_directory=${dir}`,
      "-c",
      "log_filename=server.log",
    ], "null").spawn();
    await waitReady(port, child, `${dir}/server.log`);
  };
  await start();
  const url = `postgres://phyware@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (!child) return;
    const running = child;
    child = undefined;
    try {
      running.kill("SIGINT"); // "fast" shutdown: open connections are closed
    } catch {
      // Already gone.
    }
    await running.status;
  };
  return {
    url,
    port,
    async database() {
      const name = `t${Deno.pid}_${++databases}`;
      await run([
        program("psql"),
        "-X",
        "-q",
        "-h",
        "127.0.0.1",
        "-p",
        String(port),
        "-U",
        "phyware",
        "-d",
        "postgres",
        "-c",
        `CREATE DATABASE ${name}`,
      ]);
      return `postgres://phyware@127.0.0.1:${port}/${name}`;
    },
    stop,
    start,
    async [Symbol.asyncDispose]() {
      await stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

async function waitReady(port: number, child: Deno.ChildProcess, log: string): Promise<void> {
  const exited = child.status.then(() => true);
  for (let i = 0; i < 200; i++) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      // Accepting TCP is not yet accepting queries ("the database system is starting up"): ask pg_isready.
      const { code } = await new Deno.Command(program("pg_isready"), {
        args: ["-q", "-h", "127.0.0.1", "-p", String(port)],
        stdout: "null",
        stderr: "null",
      }).output();
      if (code === 0) return;
    } catch {
      // Not listening yet.
    }
    if (await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 50))])) {
      const text = await Deno.readTextFile(log).catch(() => "no log");
      throw new Error(`postgres exited at start: ${text.trim()}`);
    }
  }
  throw new Error(`postgres did not accept connections on port ${port} within 10 s`);
}
