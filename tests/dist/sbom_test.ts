import assert from "node:assert/strict";
import { formatSbom, packageRoots } from "../../scripts/release/sbom.ts";

Deno.test("packageRoots finds each npm package folder among bundle inputs, scoped ones included", () => {
  assert.deepEqual(
    packageRoots([
      "src/cli/mod.ts",
      "node_modules/.deno/yaml@2.9.1/node_modules/yaml/dist/index.js",
      "node_modules/.deno/yaml@2.9.1/node_modules/yaml/dist/doc.js",
      "node_modules/.deno/@commander-js+extra-typings@15.1.0/node_modules/@commander-js/extra-typings/esm.mjs",
    ]),
    [
      "node_modules/.deno/@commander-js+extra-typings@15.1.0/node_modules/@commander-js/extra-typings",
      "node_modules/.deno/yaml@2.9.1/node_modules/yaml",
    ],
  );
});

Deno.test("formatSbom writes CycloneDX 1.5 with the runtime and each package, the same bytes each time", () => {
  const args = [
    "1.2.3",
    1767225600,
    [{ engine: "bun" as const, version: "1.4.5", targets: ["linux-x64"] }],
    [
      { name: "@commander-js/extra-typings", version: "15.1.0", license: "MIT" },
      { name: "yaml", version: "2.9.1", license: "ISC" },
      { name: "dual", version: "1.0.0", license: "(MIT OR Apache-2.0)" },
    ],
  ] as const;
  const text = formatSbom(...args);
  assert.equal(formatSbom(...args), text);
  const sbom = JSON.parse(text);
  assert.equal(sbom.bomFormat, "CycloneDX");
  assert.equal(sbom.specVersion, "1.5");
  assert.match(
    sbom.serialNumber,
    /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  assert.equal(sbom.metadata.timestamp, "2026-01-01T00:00:00Z");
  assert.deepEqual(sbom.components[0].name, "bun");
  assert.deepEqual(sbom.components[0].version, "1.4.5");
  assert.deepEqual(sbom.components[1], {
    type: "library",
    "bom-ref": "pkg:npm/%40commander-js/extra-typings@15.1.0",
    group: "@commander-js",
    name: "extra-typings",
    version: "15.1.0",
    licenses: [{ license: { id: "MIT" } }],
    purl: "pkg:npm/%40commander-js/extra-typings@15.1.0",
  });
  assert.deepEqual(sbom.components[3].licenses, [{ expression: "(MIT OR Apache-2.0)" }]);
  assert.equal(sbom.dependencies[0].dependsOn.length, 4);
});
