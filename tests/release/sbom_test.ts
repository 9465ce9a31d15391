// sbom.cdx.json: CycloneDX 1.5, the runtime of each build, and every npm package of the program, at the
// installed version and with its license.
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { DIST, needsKit, readManifest } from "./kit.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Sbom {
  bomFormat: string;
  specVersion: string;
  components: { type: string; name: string; group?: string; version: string; licenses: unknown[] }[];
}

/** package.json's dependencies and their closure as installed in node_modules: name -> version. */
async function installedClosure(): Promise<{ direct: string[]; closure: Map<string, string> }> {
  const pkg = JSON.parse(await Deno.readTextFile(join(ROOT, "package.json"))) as {
    dependencies: Record<string, string>;
  };
  const closure = new Map<string, string>();
  const visit = async (name: string, from: string) => {
    let dir = from;
    while (
      !(await Deno.stat(join(dir, "node_modules", name, "package.json")).then(() => true, () => false))
    ) {
      assert.notEqual(dir, dirname(dir), `cannot resolve ${name}`);
      dir = dirname(dir);
    }
    const real = await Deno.realPath(join(dir, "node_modules", name));
    const info = JSON.parse(await Deno.readTextFile(join(real, "package.json"))) as {
      version: string;
      dependencies?: Record<string, string>;
    };
    if (closure.get(name) === info.version) return;
    closure.set(name, info.version);
    for (const dep of Object.keys(info.dependencies ?? {})) await visit(dep, real);
  };
  for (const name of Object.keys(pkg.dependencies)) await visit(name, ROOT);
  return { direct: Object.keys(pkg.dependencies), closure };
}

Deno.test({
  name: "sbom.cdx.json lists the runtime of each build and every npm package of the program, with licenses",
  ...needsKit(),
  fn: async () => {
    const manifest = await readManifest();
    const sbom = JSON.parse(await Deno.readTextFile(join(DIST, "sbom.cdx.json"))) as Sbom;
    assert.equal(sbom.bomFormat, "CycloneDX");
    assert.equal(sbom.specVersion, "1.5");
    for (const artifact of manifest.artifacts) {
      const runtime = sbom.components.find((c) => c.type === "platform" && c.name === artifact.engine);
      assert.equal(runtime?.version, artifact.engineVersion, `no ${artifact.engine} runtime`);
    }
    // Independently of the bundler: every package of package.json's dependencies is listed, and every listed
    // package lies in their closure as installed, at the installed version. The closure is a superset (the
    // MCP SDK's HTTP transports, for one, are never imported), so it bounds the list from above.
    const { direct, closure } = await installedClosure();
    const listed = new Map(
      sbom.components.filter((c) => c.type === "library").map((
        c,
      ) => [c.group ? `${c.group}/${c.name}` : c.name, c]),
    );
    for (const name of direct) {
      assert.ok(listed.has(name), `${name}, a dependency in package.json, is not in the SBOM`);
    }
    for (const [name, component] of listed) {
      const version = closure.get(name);
      assert.ok(version !== undefined, `${name} is in the SBOM but not among package.json's dependencies`);
      assert.equal(
        component.version,
        version,
        `${name}: SBOM says ${component.version}, installed ${version}`,
      );
      assert.ok(component.licenses.length > 0, `${name} has no license`);
    }
  },
});
