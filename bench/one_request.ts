/** Measurement 2: `phyware users get <id>` and `users list` on a 10-user tenant, paired with curl and the floor. */
import { PAGE_SIZE } from "../src/api/client.ts";
import { join } from "node:path";
import { fmtMiB, fmtMs, fmtRatio, interleaved, pairedRatio, type RunSpec, summary } from "./measure.ts";
import type { BenchTenant } from "./fixture.ts";
import type { Section } from "./section.ts";
import { FLOOR_SHARE } from "./startup.ts";

/** Writes a curl header file holding the key, so the key is in no command line. */
export async function curlHeaderFile(workDir: string, tenant: BenchTenant): Promise<string> {
  const path = join(workDir, `headers-${tenant.name}.txt`);
  await Deno.writeTextFile(path, `authorization: Bearer ${tenant.apiKey}\naccept: application/json\n`, {
    mode: 0o600,
  });
  return path;
}

/** The environment of a phyware client run against `url` as `tenant`. */
export function clientEnv(url: string, tenant: BenchTenant): Record<string, string> {
  return { PHYCLOUD_URL: url, PHYCLOUD_API_KEY: tenant.apiKey, NO_COLOR: "1" };
}

/** The target: `users get` and `users list` at most this multiple of curl for the same request. */
const CURL_SHARE = 1.2;

/** Runs the one-request measurement; `floorBinary` is bench/floor_get.ts compiled like the release binary. */
export async function benchOneRequest(
  binary: string,
  url: string,
  tenant: BenchTenant,
  workDir: string,
  runs: number,
  floorBinary: string,
  floorEngine: string,
): Promise<Section> {
  const headers = await curlHeaderFile(workDir, tenant);
  const env = clientEnv(url, tenant);
  const cwd = workDir;
  const specs: Record<string, RunSpec> = {
    getPhyware: { cmd: binary, args: ["users", "get", tenant.someUserId], env, cwd },
    getCurl: { cmd: "curl", args: ["-sf", "-H", `@${headers}`, `${url}/v1/users/${tenant.someUserId}`], cwd },
    listPhyware: { cmd: binary, args: ["users", "list"], env, cwd },
    listCurl: { cmd: "curl", args: ["-sf", "-H", `@${headers}`, `${url}/v1/users?limit=${PAGE_SIZE}`], cwd },
    getFloor: { cmd: floorBinary, args: [`/v1/users/${tenant.someUserId}`], env, cwd },
    listFloor: { cmd: floorBinary, args: [`/v1/users?limit=${PAGE_SIZE}`], env, cwd },
  };
  const s = await interleaved(specs, runs, 3, workDir);
  const get = summary(s.getPhyware ?? []);
  const getCurl = summary(s.getCurl ?? []);
  const list = summary(s.listPhyware ?? []);
  const listCurl = summary(s.listCurl ?? []);
  const floor = summary(s.getFloor ?? []);
  const listFloor = summary(s.listFloor ?? []);
  const floorRatio = pairedRatio(s.getFloor ?? [], s.getCurl ?? []);
  const listFloorRatio = pairedRatio(s.listFloor ?? [], s.listCurl ?? []);
  const getRatio = pairedRatio(s.getPhyware ?? [], s.getCurl ?? []);
  const listRatio = pairedRatio(s.listPhyware ?? [], s.listCurl ?? []);
  const getVsFloor = pairedRatio(s.getPhyware ?? [], s.getFloor ?? []);
  const listVsFloor = pairedRatio(s.listPhyware ?? [], s.listFloor ?? []);
  return {
    id: "one",
    title: `2. One request (tenant of ${tenant.users} users)`,
    headers: [
      "command",
      "median wall ms",
      "peak RSS MiB",
      "curl median ms",
      "this / curl (paired median)",
      "phyware / floor (paired median)",
    ],
    rows: [
      [
        "phyware users get <id>",
        fmtMs(get.ms),
        fmtMiB(get.rssKb),
        fmtMs(getCurl.ms),
        fmtRatio(getRatio),
        fmtRatio(getVsFloor),
      ],
      [
        "phyware users list",
        fmtMs(list.ms),
        fmtMiB(list.rssKb),
        fmtMs(listCurl.ms),
        fmtRatio(listRatio),
        fmtRatio(listVsFloor),
      ],
      [
        `floor: ${floorEngine} fetch of /v1/users/<id>, console.log, exit (bench/floor_get.ts)`,
        fmtMs(floor.ms),
        fmtMiB(floor.rssKb),
        fmtMs(getCurl.ms),
        fmtRatio(floorRatio),
        "",
      ],
      [
        `floor: the same for /v1/users?limit=${PAGE_SIZE}`,
        fmtMs(listFloor.ms),
        fmtMiB(listFloor.rssKb),
        fmtMs(listCurl.ms),
        fmtRatio(listFloorRatio),
        "",
      ],
    ],
    targets: [{
      target: `\`users get\` at most ${CURL_SHARE}x \`curl\``,
      measured: `${fmtMs(get.ms)} ms vs ${fmtMs(getCurl.ms)} ms (${fmtRatio(getRatio)}); floor ${
        fmtRatio(floorRatio)
      }`,
      met: getRatio <= CURL_SHARE,
    }, {
      target: `\`users get\` at most ${FLOOR_SHARE}x its floor (bench/floor_get.ts)`,
      measured: `${fmtMs(get.ms)} ms vs ${fmtMs(floor.ms)} ms (${fmtRatio(getVsFloor)}, paired median)`,
      met: getVsFloor <= FLOOR_SHARE,
    }, {
      target: `\`users list\` of a ${tenant.users}-user tenant at most ${CURL_SHARE}x \`curl\``,
      measured: `${fmtMs(list.ms)} ms vs ${fmtMs(listCurl.ms)} ms (${fmtRatio(listRatio)}); floor ${
        fmtRatio(listFloorRatio)
      }`,
      met: listRatio <= CURL_SHARE,
    }],
    commands: [
      "PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY phyware users get $USER_ID",
      'curl -sf -H @headers.txt "$URL/v1/users/$USER_ID"   # headers.txt: authorization: Bearer $KEY',
      "PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY phyware users list",
      `curl -sf -H @headers.txt "$URL/v1/users?limit=${PAGE_SIZE}"`,
      "PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY bench/.work/floor-floor_get/floor_get /v1/users/$USER_ID   # compiled bench/floor_get.ts",
      `PHYCLOUD_URL=$URL PHYCLOUD_API_KEY=$KEY bench/.work/floor-floor_get/floor_get "/v1/users?limit=${PAGE_SIZE}"`,
      `(${runs} paired runs after 3 warm-ups, the six commands interleaved; stdout to /dev/null)`,
    ],
    notes: [],
    raw: { get, getCurl, list, listCurl, getRatio, listRatio, floor, floorRatio, listFloor, listFloorRatio },
  };
}
