/**
 * sbom.cdx.json: a CycloneDX 1.5 bill of materials of the release binaries. It lists the runtime compiled
 * into them (engine and version) and every npm package inside them, found as Bun finds them: the inputs of a
 * bundle of main.ts (`bun build --metafile`), each package's version and license read from its package.json.
 */
import { join } from "node:path";
import { sha256Hex } from "./checksums.ts";

/** An npm package bundled into the binaries. */
export interface BundledPackage {
  name: string;
  version: string;
  license: string;
}

/** The runtime compiled into the binaries. */
export interface Runtime {
  engine: "deno" | "bun";
  version: string;
  /** The target ids built with this runtime. */
  targets: readonly string[];
}

/** The npm package folders among a Bun metafile's inputs (`node_modules/.deno/x@1/node_modules/x`). */
export function packageRoots(inputs: string[]): string[] {
  const roots = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/.][^/]*)\//.exec(input);
    if (match?.[1]) roots.add(match[1]);
  }
  return [...roots].sort();
}

/** Bundles main.ts with Bun (no compile: a second or so) and returns the packages its inputs come from. */
export async function bundledPackages(bun: string, root: string, work: string): Promise<BundledPackage[]> {
  const meta = join(work, "metafile.json");
  const out = await new Deno.Command(bun, {
    args: [
      "build",
      "main.ts",
      "--target=bun",
      "--format=esm",
      "--splitting",
      "--production",
      "--outdir",
      join(work, "bundle"),
      `--metafile=${meta}`,
    ],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`bun build --metafile failed: ${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const { inputs } = JSON.parse(await Deno.readTextFile(meta)) as { inputs: Record<string, unknown> };
  const packages: BundledPackage[] = [];
  for (const dir of packageRoots(Object.keys(inputs))) {
    const pkg = JSON.parse(await Deno.readTextFile(join(root, dir, "package.json"))) as Record<
      string,
      unknown
    >;
    const { name, version, license } = pkg;
    if (typeof name !== "string" || typeof version !== "string") {
      throw new Error(`No name or version in ${dir}`);
    }
    packages.push({ name, version, license: typeof license === "string" ? license : "NOASSERTION" });
  }
  return packages.sort((a, b) => (a.name < b.name ? -1 : 1));
}

function purl(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, "%40")}@${version}`;
}

function licenses(license: string) {
  if (license === "NOASSERTION") return [];
  return /\s(OR|AND|WITH)\s|[()]/.test(license) ? [{ expression: license }] : [{ license: { id: license } }];
}

/** Renders the SBOM; the same inputs give the same bytes (the serial number is derived from them). */
export function formatSbom(
  version: string,
  sourceDateEpoch: number,
  runtimes: readonly Runtime[],
  packages: readonly BundledPackage[],
): string {
  const self = `pkg:generic/phyware@${version}`;
  const runtimeComponents = runtimes.map((runtime) => ({
    type: "platform",
    "bom-ref": `runtime:${runtime.engine}@${runtime.version}`,
    name: runtime.engine,
    version: runtime.version,
    description: `JavaScript runtime compiled into the phyware binaries of ${runtime.targets.join(", ")}`,
    licenses: [{ license: { id: "MIT" } }],
    purl: runtime.engine === "bun" ? purl("bun", runtime.version) : `pkg:generic/deno@${runtime.version}`,
    properties: [{ name: "phyware:targets", value: runtime.targets.join(",") }],
  }));
  const packageComponents = packages.map((pkg) => {
    const scoped = /^(@[^/]+)\/(.+)$/.exec(pkg.name);
    return {
      type: "library",
      "bom-ref": purl(pkg.name, pkg.version),
      ...(scoped ? { group: scoped[1], name: scoped[2] } : { name: pkg.name }),
      version: pkg.version,
      licenses: licenses(pkg.license),
      purl: purl(pkg.name, pkg.version),
    };
  });
  const body = {
    metadata: {
      timestamp: new Date(sourceDateEpoch * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
      tools: { components: [{ type: "application", name: "phyware scripts/compile.ts" }] },
      component: {
        type: "application",
        "bom-ref": self,
        name: "phyware",
        version,
        licenses: [{ license: { id: "MIT" } }],
        purl: self,
      },
    },
    components: [...runtimeComponents, ...packageComponents],
    dependencies: [{
      ref: self,
      dependsOn: [...runtimeComponents, ...packageComponents].map((c) => c["bom-ref"]),
    }],
  };
  const hash = sha256Hex(new TextEncoder().encode(JSON.stringify(body)));
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${
    hash.slice(20, 32)
  }`;
  const sbom = {
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: `urn:uuid:${uuid}`,
    version: 1,
    ...body,
  };
  return `${JSON.stringify(sbom, null, 2)}\n`;
}
