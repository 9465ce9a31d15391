// docs/man/ is the repository's copy of `man phyware-users` and its verbs' pages: it must be what the command
// tree generates now (the .TH line's date aside), so the copy a reader opens is the page the release ships.
import assert from "node:assert/strict";
import { join } from "node:path";
import { MAN_COPY_DIR, usersManPages } from "../scripts/man_copy.ts";
import { inCi } from "./support/programs.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const withoutDate = (text: string) => text.replace(/^\.TH (\S+) 1 \S+ /m, ".TH $1 1 DATE ");

Deno.test("docs/man/ holds the users man pages the command tree generates (deno task man-copy)", () => {
  const generated = usersManPages(0);
  const committed = [...Deno.readDirSync(join(ROOT, MAN_COPY_DIR))].map((e) => e.name)
    .filter((name) => name.endsWith(".1")).sort();
  assert.deepEqual(committed, generated.map((page) => page.name).sort(), "run deno task man-copy");
  for (const page of generated) {
    const text = Deno.readTextFileSync(join(ROOT, MAN_COPY_DIR, page.name));
    assert.equal(withoutDate(text), withoutDate(page.text), `${page.name} is stale: run deno task man-copy`);
  }
});

const SPEC = join(ROOT, "../shared/spec/phyware-users.txt");

/** The spec beside the clone (as CI has it); elsewhere the test is skipped, saying so, and under CI=true runs. */
function needsSpec(): { ignore: boolean } {
  try {
    if (Deno.statSync(SPEC).isFile || inCi()) return { ignore: false };
  } catch {
    if (inCi()) return { ignore: false };
  }
  console.error(
    "skipped: needs ../shared/spec/phyware-users.txt beside the clone; under CI=true this is a failure",
  );
  return { ignore: true };
}

Deno.test("docs/phyware-users.txt is the spec's page, byte for byte", needsSpec(), () => {
  assert.equal(Deno.readTextFileSync(join(ROOT, "docs/phyware-users.txt")), Deno.readTextFileSync(SPEC));
});
