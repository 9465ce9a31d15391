/**
 * A minimal root for running a linux binary in isolation: only the binary and the shared libraries `ldd`
 * lists, run with bubblewrap read-only, as an unprivileged user, with `/proc` mounted, an empty environment,
 * no HOME and no /etc/passwd.
 */
import { dirname, join } from "node:path";

/** Paths inside the sandbox. */
export const SANDBOX_BINARY = "/phyware";
/** Working directory inside the sandbox (holds test files such as `.env`). */
export const SANDBOX_CWD = "/work";

/** Libraries `ldd` resolves for a binary (absolute paths, loader included). */
export async function lddLibraries(binary: string): Promise<string[]> {
  const out = await new Deno.Command("ldd", { args: [binary], stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`ldd failed on "${binary}": ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const libs = new Set<string>();
  for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
    if (line.includes("not found")) throw new Error(`Missing library for "${binary}": ${line.trim()}`);
    const match = /(\/\S+)/.exec(line.replace(/\s*\(0x[0-9a-f]+\)\s*$/, ""));
    if (match) libs.add(match[1] as string);
  }
  return [...libs].sort();
}

/**
 * Lays out a root: `/phyware`, its libraries at their host paths, empty `/proc`, `/dev` and `/tmp` mount
 * points, and `/work` holding `files` (name -> content).
 */
export async function buildMinimalRoot(
  binary: string,
  root: string,
  files: Record<string, string>,
): Promise<string[]> {
  const libs = await lddLibraries(binary);
  for (const dir of ["proc", "dev", "tmp", SANDBOX_CWD.slice(1)]) {
    await Deno.mkdir(join(root, dir), { recursive: true });
  }
  await Deno.copyFile(binary, join(root, SANDBOX_BINARY));
  await Deno.chmod(join(root, SANDBOX_BINARY), 0o755);
  for (const lib of libs) {
    await Deno.mkdir(join(root, dirname(lib)), { recursive: true });
    await Deno.copyFile(await Deno.realPath(lib), join(root, lib));
  }
  for (const [name, content] of Object.entries(files)) {
    await Deno.writeTextFile(join(root, SANDBOX_CWD, name), content);
  }
  return libs;
}

/** The bwrap command line that runs `/phyware args...` in the root with only `env` set. */
export function bwrapArgs(root: string, env: Record<string, string>, args: string[]): string[] {
  return [
    "--ro-bind",
    root,
    "/",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--chdir",
    SANDBOX_CWD,
    "--clearenv",
    ...Object.entries(env).flatMap(([k, v]) => ["--setenv", k, v]),
    "--unshare-user",
    "--uid",
    "65534",
    "--gid",
    "65534",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    // The network is shared so that the binary can reach a server on the host's loopback.
    "--die-with-parent",
    SANDBOX_BINARY,
    ...args,
  ];
}
