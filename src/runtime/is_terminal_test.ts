import assert from "node:assert/strict";
import { isatty } from "node:tty";
import pkg from "../../package.json" with { type: "json" };
import { findBun } from "../../scripts/release/bun_binary.ts";
import { needs } from "../../tests/support/programs.ts";
import { isTerminal } from "./is_terminal.ts";

Deno.test("isTerminal agrees with node:tty under Deno", () => {
  for (const fd of [0, 1, 2] as const) assert.equal(isTerminal(fd), isatty(fd), `fd ${fd}`);
});

Deno.test({
  name: "isTerminal agrees with node:tty under Bun, on pipes and on a terminal",
  ...needs(["script", "bsdutils"]),
  fn: async () => {
    const bun = await findBun(new URL("../..", import.meta.url).pathname, pkg.devDependencies.bun, () => {});
    const probe = `import { isatty } from "node:tty"; import { isTerminal } from ${
      JSON.stringify(new URL("./is_terminal.ts", import.meta.url).pathname)
    }; console.log([0, 1, 2].map((fd) => \`\${isTerminal(fd)}=\${isatty(fd)}\`).join(" "));`;
    const dir = await Deno.makeTempDir();
    try {
      const file = `${dir}/probe.ts`;
      await Deno.writeTextFile(file, probe);
      const run = async (cmd: string, args: string[]) => {
        const out = await new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
          .output();
        return new TextDecoder().decode(out.stdout).trim();
      };
      assert.equal(await run(bun, ["--no-env-file", file]), "false=false false=false false=false");
      // script(1) runs the probe on a pseudo-terminal: stdout and stderr are terminals there.
      const onTty = await run("script", ["-qec", `"${bun}" --no-env-file "${file}" </dev/null`, "/dev/null"]);
      assert.equal(onTty.replace(/\r/g, ""), "false=false true=true true=true");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
