import assert from "node:assert/strict";
import {
  escapeUnsafe,
  neutralise,
  neutraliseKeepingLines,
  terminalDocument,
  terminalRecord,
} from "./terminal_text.ts";

// One of each kind of character that steers a terminal: C0 (ESC, BEL, BS, CR, LF, tab, NUL), DEL, C1 (NEL,
// CSI) and the bidirectional controls (ALM, LRM, RLM, LRE...RLO, LRI...PDI).
const STEERING = [
  "\u001b",
  "\u0007",
  "\b",
  "\r",
  "\n",
  "\t",
  "\u0000",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u061c",
  "\u200e",
  "\u200f",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];

Deno.test("neutralise: each steering character becomes one space (or the replacement given)", () => {
  for (const c of STEERING) {
    const name = `U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
    assert.equal(neutralise(`a${c}b`), "a b", name);
    assert.equal(neutralise(`a${c}b`, "?"), "a?b", name);
    assert.equal(neutralise(`a${c}b`, ""), "ab", name);
  }
  assert.equal(neutralise("\u001b[31mred\u001b[0m"), " [31mred [0m");
  assert.equal(neutralise("\u001b]8;;http://evil\u0007x"), " ]8;;http://evil x");
  assert.equal(neutralise("invoice\u202egpj.exe", "?"), "invoice?gpj.exe");
});

Deno.test("neutralise: printable text is kept whole, astral characters and all", () => {
  for (const text of ["", "ann@example.com", "Zoë Ñúñez", "日本語", "👍🏽 ok", "a\u00a0b", "x\u200dy"]) {
    assert.equal(neutralise(text), text, text);
  }
  // The pattern is global: a second call starts afresh.
  assert.equal(neutralise("\u001bx"), " x");
  assert.equal(neutralise("\u001bx"), " x");
});

Deno.test("neutraliseKeepingLines: line breaks and tabs stay, every other steering character is ?", () => {
  assert.equal(neutraliseKeepingLines("a\nb\tc"), "a\nb\tc");
  assert.equal(neutraliseKeepingLines("a\r\nb"), "a?\nb");
  assert.equal(neutraliseKeepingLines("\u001b[2J\u202eend\u0085"), "?[2J?end?");
});

Deno.test("terminalRecord: string values neutralised, nulls kept", () => {
  assert.deepEqual(
    terminalRecord({ id: "usr_1", email: "a\u001b[31m@example.com", name: null, note: "x\u202ey" }),
    { id: "usr_1", email: "a [31m@example.com", name: null, note: "x y" },
  );
});

Deno.test("terminalDocument: every string at any depth neutralised; other values and the input untouched", () => {
  const doc = {
    dry_run: true,
    count: 3,
    none: null,
    request: { method: "POST", headers: { "X-Note": "a\u009bb" }, body: { tags: ["ok", "\u001b[1m"] } },
    list: [[["deep\u2066"]], 7, false],
  };
  const before = structuredClone(doc);
  assert.deepEqual(terminalDocument(doc), {
    dry_run: true,
    count: 3,
    none: null,
    request: { method: "POST", headers: { "X-Note": "a b" }, body: { tags: ["ok", " [1m"] } },
    list: [[["deep "]], 7, false],
  });
  assert.deepEqual(doc, before);
  assert.equal(terminalDocument("\u0007"), " ");
  assert.equal(terminalDocument(42), 42);
});

Deno.test("escapeUnsafe: what JSON.stringify leaves raw (DEL, C1, bidi) becomes \\uXXXX; the data is the same", () => {
  const value = {
    s: "a\u007fb\u0085c\u009bd\u202ee\u2066f\u061cg\u200eh",
    esc: "\u001b[31m",
    plain: "Zoë 日本 👍",
  };
  const json = escapeUnsafe(JSON.stringify(value));
  assert.equal(
    json,
    '{"s":"a\\u007fb\\u0085c\\u009bd\\u202ee\\u2066f\\u061cg\\u200eh","esc":"\\u001b[31m","plain":"Zoë 日本 👍"}',
  );
  assert.deepEqual(JSON.parse(json), value);
  assert.equal(escapeUnsafe('{"a": "b"}\n'), '{"a": "b"}\n');
});
