/** Facts about an ELF executable read with binutils' `readelf`: libraries, loader, newest glibc symbol. */

async function readelf(args: string[]): Promise<string> {
  const out = await new Deno.Command("readelf", {
    args: ["--wide", ...args],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(`readelf ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  return new TextDecoder().decode(out.stdout);
}

/** The DT_NEEDED shared libraries. */
export async function neededLibraries(path: string): Promise<string[]> {
  const text = await readelf(["-d", path]);
  return [...text.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1] as string);
}

/** The program interpreter (dynamic loader) path, if any. */
export async function interpreter(path: string): Promise<string | undefined> {
  const text = await readelf(["-l", path]);
  return /Requesting program interpreter: ([^\]]+)\]/.exec(text)?.[1];
}

/** The newest `GLIBC_x.y` symbol version the binary requires, e.g. "2.17", or undefined. */
export async function newestGlibc(path: string): Promise<string | undefined> {
  const text = await readelf(["-V", path]);
  const versions = [
    ...new Set([...text.matchAll(/GLIBC_(\d+)\.(\d+)(?:\.(\d+))?/g)].map((m) => m.slice(1, 3).join("."))),
  ];
  const key = (v: string) => v.split(".").map(Number) as [number, number];
  versions.sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
  return versions.at(-1);
}
