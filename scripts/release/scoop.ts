/** Generates the Scoop manifest `phyware.json` from the release archives. */
import { downloadBase, type ReleaseInfo } from "./release_info.ts";

/** Renders the manifest: 64-bit url and hash, `bin`, `checkver` and `autoupdate` (hash from checksums.txt). */
export function scoopManifest(info: ReleaseInfo): string {
  const windows = info.archives.find((a) => a.target.os === "windows" && a.target.arch === "x64");
  if (!windows) throw new Error("Cannot write the Scoop manifest: no windows-x64 archive was built");
  const base = downloadBase(info.baseUrl, info.version);
  // Scoop substitutes $version itself when it updates the manifest.
  const templateBase = downloadBase(info.baseUrl, "$version");
  const github = /^https:\/\/github\.com\/[^/]+\/[^/]+\/?$/.test(info.homepage);
  const manifest = {
    version: info.version,
    description: "Command-line tool for the PhyCloud service",
    homepage: info.homepage,
    license: "MIT",
    architecture: {
      "64bit": { url: `${base}/${windows.name}`, hash: windows.sha256 },
    },
    bin: "phyware.exe",
    checkver: github ? { github: info.homepage.replace(/\/$/, "") } : {
      url: `${info.homepage}`,
      regex: "phyware_([\\d.]+)_windows_x64\\.zip",
    },
    autoupdate: {
      architecture: {
        "64bit": { url: `${templateBase}/${windows.name.replaceAll(info.version, "$version")}` },
      },
      hash: { url: "$baseurl/checksums.txt" },
    },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
