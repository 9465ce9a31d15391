import assert from "node:assert/strict";
import { scoopManifest } from "../../scripts/release/scoop.ts";
import { sampleRelease } from "./fixtures.ts";

Deno.test("scoopManifest points at the windows zip with its hash, bin, checkver and autoupdate", () => {
  const manifest = JSON.parse(scoopManifest(sampleRelease()));
  assert.deepEqual(manifest, {
    version: "1.2.3",
    description: "Command-line tool for the PhyCloud service",
    homepage: "https://github.com/phyware/phyware",
    license: "MIT",
    architecture: {
      "64bit": {
        url: "https://example.test/dl/v1.2.3/phyware_1.2.3_windows_x64.zip",
        hash: "6".repeat(64),
      },
    },
    bin: "phyware.exe",
    checkver: { github: "https://github.com/phyware/phyware" },
    autoupdate: {
      architecture: {
        "64bit": { url: "https://example.test/dl/v$version/phyware_$version_windows_x64.zip" },
      },
      hash: { url: "$baseurl/checksums.txt" },
    },
  });
});

Deno.test("scoopManifest checks versions with a regex when the home page is not on GitHub", () => {
  const manifest = JSON.parse(scoopManifest(sampleRelease({ homepage: "https://phyware.example" })));
  assert.deepEqual(manifest.checkver, {
    url: "https://phyware.example",
    regex: "phyware_([\\d.]+)_windows_x64\\.zip",
  });
});

Deno.test("scoopManifest refuses a release without a windows archive", () => {
  const release = sampleRelease();
  assert.throws(
    () => scoopManifest({ ...release, archives: release.archives.filter((a) => a.target.os !== "windows") }),
    /Cannot write the Scoop manifest: no windows-x64 archive was built/,
  );
});
