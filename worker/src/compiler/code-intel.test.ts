import { describe, expect, it } from "vitest";
import type { CodeEdit } from "../core/api-shapes";
import { templateSources } from "../../generated/templates.js";
import { CodeTooLargeError, openBuffer } from "./code-buffer";
import { completionsAt, diagnosticsOf, formatEdits, hoverAt } from "./code-intel";
import { typeCheck } from "./type-check";

const TABLES = `import { defineTables } from "kiln";
export const tables = defineTables({ notes: { text: "text" } });
`;

/** An entry typed up to the `|` (removed): the cursor's position is where it stood. */
function typed(source: string): { text: string; position: number } {
  const position = source.indexOf("|");
  if (position < 0) throw new Error("no cursor in the source");
  return { text: source.slice(0, position) + source.slice(position + 1), position };
}

function entryBuffer(source: string, saved: Record<string, string> = { "src/tables.ts": TABLES }) {
  const { text, position } = typed(source);
  return { buffer: openBuffer(saved, {}, "src/index.ts", text), position };
}

const labels = (entries: { label: string }[]) => entries.map((e) => e.label);

/** `text` with formatting edits (offsets of `text`) applied. */
function apply(text: string, edits: readonly CodeEdit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.from - a.from))
    result = result.slice(0, edit.from) + edit.insert + result.slice(edit.to);
  return result;
}

describe("code intelligence for the Code tab's editor", { timeout: 60_000 }, () => {
  it("completes env.DB. with the app database's methods, typed from the app's own tables", async () => {
    const { buffer, position } = entryBuffer(`import type { AppEnv } from "kiln";
import { tables } from "./tables";
export default {
  async fetch(request: Request, env: AppEnv<typeof tables>) {
    env.DB.|
    return new Response("ok");
  },
};
`);
    const completions = await completionsAt(buffer, position);
    expect(completions.member).toBe(true);
    expect(completions.from).toBe(position);
    expect(labels(completions.entries)).toEqual(expect.arrayContaining(["insert", "list", "get", "update", "query"]));
    const insert = completions.entries.find((e) => e.label === "insert");
    expect(insert).toMatchObject({ kind: "method" });
    expect(insert?.detail).toMatch(
      /^\(method\) AppDatabase<\{ readonly notes: .*>\.insert<K>\(table: K, row: NewRow<\{ readonly/,
    );
  });

  it("completes a connector the app imports (kiln/stripe) with its real methods, a typed prefix replaced", async () => {
    const resources = entryBuffer(`import { stripe } from "kiln/stripe";
export default { fetch: async () => { stripe.cust|; return new Response("ok"); } };
`);
    const names = await completionsAt(resources.buffer, resources.position);
    expect(names.from).toBe(resources.position - "cust".length);
    expect(labels(names.entries)).toEqual(expect.arrayContaining(["customers", "charges", "paymentIntents"]));

    const methods = entryBuffer(`import { stripe } from "kiln/stripe";
export default { fetch: async () => { await stripe.customers.|; return new Response("ok"); } };
`);
    const customers = await completionsAt(methods.buffer, methods.position);
    expect(labels(customers.entries)).toEqual(expect.arrayContaining(["create", "retrieve", "list", "del"]));
    expect(customers.entries.find((e) => e.label === "create")?.detail).toMatch(/create\(params\??: .*Customer/);
  });

  it("offers names in scope (the app's own imports, globals) where no member is asked for", async () => {
    const { buffer, position } = entryBuffer(`import { tables } from "./tables";
export default { fetch: () => new Response(String(tab|)) };
`);
    const completions = await completionsAt(buffer, position);
    expect(completions.member).toBe(false);
    expect(labels(completions.entries)).toEqual(expect.arrayContaining(["tables", "Response", "crypto"]));
    expect(completions.entries.length).toBeLessThanOrEqual(1000);
  });

  it("hover gives a symbol's type and documentation, from the app's other files too", async () => {
    const saved = {
      "src/tables.ts": TABLES,
      "src/greeting.ts": `/** What the home page says. */\nexport const greeting: string = "hi";\n`,
    };
    const { buffer, position } = entryBuffer(
      `import { greeting } from "./greeting";\nexport default { fetch: () => new Response(gree|ting) };\n`,
      saved,
    );
    const hover = await hoverAt(buffer, position);
    expect(hover).toMatchObject({ kind: "alias", documentation: "What the home page says." });
    expect(hover?.display).toContain("const greeting: string");
    expect(buffer.text.slice(hover?.from, hover?.to)).toBe("greeting");
    expect(await hoverAt(buffer, buffer.text.length)).toBeNull();
  });

  it("reports an unsaved buffer's type error at its line, column and span, with the build's message", async () => {
    const source = `export const greeting: string = "hi";\nexport const count: number = "three";\n`;
    const saved = {
      "src/index.ts": `import { greeting } from "./greeting";\nexport default { fetch: () => new Response(greeting) };\n`,
    };
    const buffer = openBuffer(saved, {}, "src/greeting.ts", source);
    const diagnostics = await diagnosticsOf(buffer);
    expect(diagnostics).toEqual([
      { from: 51, to: 56, line: 2, column: 14, message: "Type 'string' is not assignable to type 'number'." },
    ]);
    expect(source.slice(51, 56)).toBe("count");
    // The build says the same of the same text.
    const built = await typeCheck(buffer.files, "src/index.ts");
    expect(built).toEqual([{ file: "src/greeting.ts", line: 2, column: 14, message: diagnostics[0]?.message }]);
    // Only the open file's problems: the entry's are its own.
    const entry = openBuffer({ "src/greeting.ts": source }, {}, "src/index.ts", saved["src/index.ts"]);
    expect(await diagnosticsOf(entry)).toEqual([]);
  });

  it("says what a build would refuse before type-checking: an entry that cannot serve, a missing entry", async () => {
    const noHandler = openBuffer({}, {}, "src/index.ts", "export const x = 1;\nexport default 42;\n");
    expect(await diagnosticsOf(noHandler)).toEqual([
      expect.objectContaining({ line: 2, column: 1, message: expect.stringContaining("must `export default`") }),
    ]);
    const noEntry = openBuffer({}, {}, "src/lib.ts", "export const x: number = 1;\n");
    expect(await diagnosticsOf(noEntry)).toEqual([
      expect.objectContaining({ message: expect.stringContaining("needs an entry file") }),
    ]);
  });

  it("formats with two-space indentation and TypeScript's spacing", async () => {
    const text = `export default {\nfetch( ) {\n        return new Response("ok")\n}\n};\n`;
    const buffer = openBuffer({}, {}, "src/index.ts", text);
    const edits = await formatEdits(buffer);
    const formatted = apply(text, edits);
    expect(formatted).toBe(`export default {\n  fetch() {\n    return new Response("ok")\n  }\n};\n`);
    expect(await formatEdits(openBuffer({}, {}, "src/index.ts", formatted))).toEqual([]);
    // Spacing as TypeScript's defaults have it (settings left out would mean none at all).
    const spaced = `const total: number=1+2;\nfor(const n of [1,2]){ if(n>total) console.log(n) }\nexport default {fetch: () => new Response(String(total))};\n`;
    expect(apply(spaced, await formatEdits(openBuffer({}, {}, "src/index.ts", spaced)))).toBe(
      `const total: number = 1 + 2;\nfor (const n of [1, 2]) { if (n > total) console.log(n) }\nexport default { fetch: () => new Response(String(total)) };\n`,
    );
  });

  it("changes at most the indentation of Kiln's templates: format on save keeps their style", async () => {
    let changed = 0;
    for (const template of templateSources) {
      const files = template.files;
      for (const [path, text] of Object.entries(files)) {
        if (!path.endsWith(".ts")) continue;
        const edits = await formatEdits(openBuffer(files, {}, path, text));
        for (const edit of edits) {
          expect(text.slice(edit.from, edit.to), `${template.id} ${path}`).toMatch(/^[ \t]*$/);
          expect(edit.insert).toMatch(/^ *$/);
          expect(text[edit.from - 1], `${template.id} ${path}: only at the start of a line`).toBe("\n");
        }
        changed += edits.length;
      }
    }
    // A ternary's continuation lines (`? html…`) get two more spaces; nothing else moves.
    expect(changed).toBeLessThanOrEqual(12);
  });

  it("leaves files TypeScript does not read alone", async () => {
    const buffer = openBuffer(
      { "src/index.ts": `export default { fetch: () => new Response("") };` },
      {},
      "src/page.html",
      "<p>  hi</p>",
    );
    expect(await formatEdits(buffer)).toEqual([]);
    expect(await diagnosticsOf(buffer)).toEqual([]);
    expect((await completionsAt(buffer, 3)).entries).toEqual([]);
  });

  it("refuses more text than a build accepts, in words, before parsing it", () => {
    const big = "x".repeat(1024 * 1024 + 1);
    expect(() => openBuffer({}, {}, "src/index.ts", big)).toThrow(CodeTooLargeError);
    expect(() => openBuffer({}, {}, "src/index.ts", big)).toThrow(
      /src\/index\.ts is 1\.0 MB; a file may be at most 1 MB/,
    );
    const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`src/f${i}.ts`, "y".repeat(1024 * 1024 - 1)]));
    expect(() => openBuffer({}, many, "src/index.ts", "")).toThrow(/add up to 6\.0 MB; an app may have at most 5 MB/);
  });

  it("keeps concurrent builds and editor requests apart in the one language service", async () => {
    const broken = openBuffer(
      {},
      {},
      "src/index.ts",
      `export default { fetch: () => new Response(1 + "") };\nconst n: number = "x";\n`,
    );
    const fine = { "src/index.ts": `export default { fetch: () => new Response("ok") };\n` };
    const results = await Promise.all([
      diagnosticsOf(broken),
      typeCheck(new Map(Object.entries(fine)), "src/index.ts"),
      diagnosticsOf(broken),
      typeCheck(new Map(Object.entries(fine)), "src/index.ts"),
    ]);
    expect(results.map((r) => r.length)).toEqual([1, 0, 1, 0]);
  });
});
