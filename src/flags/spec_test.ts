import assert from "node:assert/strict";
import { flagHelp } from "./spec.ts";

Deno.test("flagHelp puts the default, a value or words, after the environment variable", () => {
  assert.equal(
    flagHelp({
      long: "--url",
      value: "url",
      env: "PHYCLOUD_URL",
      default: "http://x",
      defaultBy: "parse",
      help: "URL",
    }),
    'URL [env: PHYCLOUD_URL] (default: "http://x")',
  );
  assert.equal(
    flagHelp({ long: "--url", value: "url", env: "PHYCLOUD_URL", defaultText: "the profile's", help: "URL" }),
    "URL [env: PHYCLOUD_URL] (default: the profile's)",
  );
  assert.equal(
    flagHelp({ long: "--max-wait", value: "d", defaultText: "no limit", help: "wait" }),
    "wait (default: no limit)",
  );
  // A default commander applies is commander's to show (after the help line, in the same place).
  assert.equal(flagHelp({ long: "--host", value: "host", default: "127.0.0.1", help: "host" }), "host");
});
