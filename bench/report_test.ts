import assert from "node:assert/strict";
import { FINDINGS_MARKER, handWrittenVerdicts, parseSections, renderResults, renderTable } from "./report.ts";
import type { Section } from "./section.ts";

const RESULTS = new URL("./RESULTS.md", import.meta.url);
const ORDER = ["startup", "big", "server"];

function section(id: string, met: boolean, figure: string): Section {
  return {
    id,
    title: `${id} title`,
    headers: ["what", "ms"],
    rows: [["x", figure]],
    targets: [{ target: `${id} within a bound`, measured: `${figure} ms`, met }],
    commands: [`run ${id}`],
    notes: [],
    raw: {},
  };
}

function render(
  sections: Section[],
  previous: string,
  partial: boolean,
  command = "deno task bench",
): string {
  return renderResults({
    command,
    at: "2026-12-05 01:00 UTC",
    facts: [["load average at start (1, 5, 15 min)", "0.1 0.2 0.3"]],
    binaryOrigin: "bench/.work/phyware",
    seedMs: 0,
    seconds: 12,
    sections,
    partial,
    order: ORDER,
    previous,
  });
}

Deno.test("a partial run replaces its own sections and verdicts, and keeps the others with their run", () => {
  const full = render([section("startup", true, "10"), section("big", true, "500")], "", false);
  const partial = render([section("big", false, "900")], full, true, "deno task bench --only big");
  const sections = parseSections(partial);
  assert.deepEqual([...sections.keys()], ["startup", "big"]);
  assert.equal(sections.get("startup")?.text, parseSections(full).get("startup")?.text);
  assert.deepEqual(sections.get("big")?.provenance, {
    command: "deno task bench --only big",
    at: "2026-12-05 01:00 UTC",
    targets: [{ target: "big within a bound", measured: "900 ms", met: false }],
  });
  assert.match(partial, /\| startup within a bound \| 10 ms +\| met +\| `deno task bench`, 2026-12-05 +\|/);
  assert.match(
    partial,
    /\| big within a bound +\| 900 ms +\| \*\*missed\*\* +\| `deno task bench --only big`, 2026-12-05 +\|/,
  );
  assert.doesNotMatch(partial, /500 ms/);
});

Deno.test("a verdict typed into the hand-written part stops the report", () => {
  for (
    const line of [
      "### 1. Start-up: met",
      "| users get at most 1.2x curl | 1.34x | missed |",
      "## Server: p99 met",
    ]
  ) {
    const previous = `${render([], "", false)}\n${line}\n`;
    assert.throws(() => render([], previous, true), /states verdicts; only the bench writes them/);
  }
  // Rules and history in prose are not verdicts.
  const prose = `${render([], "", false)}\nA run with errors is never "met".\n`;
  assert.doesNotThrow(() => render([], prose, true));
});

Deno.test("RESULTS.md: no verdict by hand, and its Targets table is the one its sections' runs produced", async () => {
  const text = await Deno.readTextFile(RESULTS);
  const at = text.indexOf(FINDINGS_MARKER);
  assert.ok(at > 0);
  assert.deepEqual(handWrittenVerdicts(text.slice(at)), []);
  const sections = parseSections(text);
  assert.ok(sections.size >= 6, `sections: ${[...sections.keys()].join(", ")}`);
  for (const { provenance } of sections.values()) assert.match(provenance.command, /^deno task bench\b/);
  const table = renderTable(
    ["target", "measured", "verdict", "measured by"],
    [...sections.values()].flatMap(({ provenance: p }) =>
      p.targets.map((
        t,
      ) => [t.target, t.measured, t.met ? "met" : "**missed**", `\`${p.command}\`, ${p.at.slice(0, 10)}`])
    ),
  );
  assert.ok(
    text.includes(`## Targets\n\n${table}\n`),
    "the Targets table differs from its sections' targets",
  );
});
