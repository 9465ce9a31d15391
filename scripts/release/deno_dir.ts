/** Deno's cache directory (`deno info --json`), where it keeps npm packages and downloaded runtimes. */
export async function denoDir(): Promise<string | undefined> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  })
    .output();
  if (!out.success) return undefined;
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir?: unknown };
  return typeof info.denoDir === "string" ? info.denoDir : undefined;
}
