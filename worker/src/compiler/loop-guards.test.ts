// The instrumentation on its own (text in, text out) and a differential check:
// awkward syntax must answer the same with and without guards.
import { describe, expect, it } from "vitest";
import { instrumentApp } from "./loop-guards";
import { build, load } from "../../test/builds";

const GUARD = "./__kiln/guard.js";

/** The instrumented code with the random names replaced by stable ones, for readable expectations. */
function instrument(code: string): string {
  return instrumentApp(code, GUARD).replace(/__kiln_([a-z]+)_[0-9a-f]{12}/g, "$1");
}

describe("instrumentApp", () => {
  it("counts loop steps with a local counter and checks functions that call", () => {
    const out = instrument(
      `function f(n) { let s = 0; for (let i = 0; i < n; i++) s += g(i); while (s > 9) s--; return s; }`,
    );
    expect(out).toContain(`function f(n) {check();let steps = 64; let s = 0;`);
    expect(out).toContain(`for (let i = 0; i < n; i++) {if (--steps < 0) steps = tick() | 0;s += g(i);}`);
    expect(out).toContain(`while (s > 9) {if (--steps < 0) steps = tick() | 0;s--;}`);
  });

  it("leaves leaf functions alone and wraps expression bodies that call", () => {
    const out = instrument(
      `const a = rows.map((r) => r * 2); const b = (x) => helper(x); function leaf(x) { return x + 1; }`,
    );
    expect(out).toContain(`rows.map((r) => r * 2)`);
    expect(out).toContain(`(x) => (check(), helper(x))`);
    expect(out).toContain(`function leaf(x) { return x + 1; }`);
  });

  it("covers do-while, for-in, for-of, labels and single-statement bodies", () => {
    const out = instrument(
      `outer: for (const k in o) for (const v of o[k]) if (v) continue outer; do x++; while (x < 3)`,
    );
    expect(out).toContain(
      `outer: for (const k in o) {if (--steps < 0) steps = tick() | 0;for (const v of o[k]) {if (--steps < 0) steps = tick() | 0;if (v) continue outer;}}`,
    );
    expect(out).toContain(`do {if (--steps < 0) steps = tick() | 0;x++;} while (x < 3)`);
    // Top-level loops get a module-level counter.
    expect(out).toMatch(/^import \{[^}]+\} from "\.\/__kiln\/guard\.js";let steps = 64;outer:/);
  });

  it("keeps directives first, and every line where it was", () => {
    const code = `function f() {\n  "use strict";\n  while (a()) {\n    b();\n  }\n}\nconst g = () =>\n  h();\n`;
    const out = instrument(code);
    expect(out).toContain(`function f() {\n  "use strict";check();let steps = 64;`);
    expect(out.split("\n")).toHaveLength(code.split("\n").length);
    expect(out.split("\n")[3]).toBe("    b();");
  });

  it("refuses computed import() but leaves fixed names to the bundler's resolution", () => {
    const out = instrument(`const a = import("./kiln-lib/hono.js"); const b = import(name);`);
    expect(out).toContain(`const a = import("./kiln-lib/hono.js");`);
    expect(out).toContain(`const b = refuse(name);`);
  });

  it("uses fresh names no app code can know", () => {
    const first = instrumentApp("while (x) y();", GUARD);
    const second = instrumentApp("while (x) y();", GUARD);
    const names = (code: string) => code.match(/__kiln_[a-z]+_[0-9a-f]{12}/g);
    expect(names(first)).not.toEqual(names(second));
  });
});

describe("instrumented code behaves as written", { timeout: 30_000 }, () => {
  it("answers the same with and without guards across awkward syntax", async () => {
    const files = {
      "src/index.ts": `
const out: unknown[] = [];
const log = (v: unknown): void => { out.push(v); };
class Base { constructor(public n: number) {} get twice(): number { return this.n * 2; } static make(): Base { return new Base(3); } }
class Derived extends Base { constructor() { super(5); log("derived"); } }
function* gen(): Generator<number> { let i = 0; while (i < 3) yield i++; }
async function later(): Promise<number> { let s = 0; for await (const v of [Promise.resolve(1), 2]) s += v; return s; }
const obj = { a: 1, b: [2, 3], m() { return Object.keys(this).length; } };
export default {
  async fetch(): Promise<Response> {
    out.length = 0;
    let n = 0;
    while (n < 3) n++
    log(n);
    for (let i = 0; i < 2; i++) for (const k in obj) log(k + i);
    outer: for (const x of [1, 2, 3]) { for (;;) { if (x === 2) continue outer; break; } log(x); }
    do n--; while (n > 0)
    log(n);
    label: { log("block"); break label; }
    const arrow = () => ({ v: 1 });
    const seq = () => (log("seq"), 7);
    log(arrow().v + seq());
    log([...gen()]);
    log(new Derived().twice + Base.make().twice + obj.m());
    log(await later());
    log([3, 1, 2].sort((a, b) => a - b).map((v) => v * 10));
    const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
    log(fact(10));
    try { for (;;) { throw new Error("caught"); } } catch (e) { log((e as Error).message); }
    if (n === 0) for (const c of "ab") log(c); else log("never");
    log(\`t\${[1, 2].map((v) => v + 1).join(",")}\`);
    return Response.json(out);
  },
};
`,
    };
    const answers: unknown[] = [];
    for (const guards of [true, false]) {
      const response = await load(await build(files, { guards }))
        .getEntrypoint()
        .fetch("http://app.test/");
      answers.push(await response.json());
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toContain("caught");
  });
});
