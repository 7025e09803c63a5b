import { it } from "vitest";
import { buildApp } from "./index";
import { typeCheck } from "./type-check";
import { bundleApp } from "./bundle";

const HONO = `import { Hono } from "hono";
import { cors } from "hono/cors";
const app = new Hono();
app.use("*", cors());
app.get("/", (c) => c.text("hi"));
export default app;
`;
const HONO_ZOD = `import { Hono } from "hono";
import { z } from "zod";
import { defineTables } from "kiln";
export const tables = defineTables({ todos: { title: "text" } });
const app = new Hono();
app.get("/", (c) => c.text(z.string().parse("hi")));
export default app;
`;

function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); return Math.round(s[Math.floor(s.length / 2)]!); }

it("bench", async () => {
  let t = performance.now();
  const first = await buildApp({ "src/index.ts": HONO });
  console.log("BENCH cold hono (first build in isolate):", Math.round(performance.now() - t), first.ok);
  for (const [name, src] of [["hono", HONO], ["hono+zod+kiln", HONO_ZOD]] as const) {
    const total: number[] = [], tc: number[] = [], bu: number[] = [];
    for (let i = 0; i < 7; i++) {
      const files = new Map([["src/index.ts", `${src}// ${i}`]]);
      t = performance.now(); await typeCheck(files, "src/index.ts"); tc.push(performance.now() - t);
      t = performance.now(); await bundleApp(files, "src/index.ts"); bu.push(performance.now() - t);
      t = performance.now(); await buildApp({ "src/index.ts": `${src}// b${i}` }); total.push(performance.now() - t);
    }
    console.log(`BENCH warm ${name}: buildApp median ${median(total)} ms (typeCheck ${median(tc)}, bundle ${median(bu)}) all=${total.map(Math.round).join(",")}`);
  }
  const many: Record<string, string> = { "src/index.ts": `${HONO.replace("export default app;", "")}\n${Array.from({ length: 50 }, (_, i) => `import { v${i} } from "./m${i}";`).join("\n")}\napp.get("/n", (c) => c.text(String(${Array.from({ length: 50 }, (_, i) => `v${i}`).join(" + ")})));\nexport default app;` };
  for (let i = 0; i < 50; i++) many[`src/m${i}.ts`] = `export const v${i}: number = ${i};`;
  const times: number[] = [];
  for (let i = 0; i < 3; i++) { t = performance.now(); const r = await buildApp(many); times.push(performance.now() - t); if (!r.ok) console.log(JSON.stringify(r).slice(0, 500)); }
  console.log(`BENCH warm 51-file hono app: ${times.map(Math.round).join(",")}`);
}, 300_000);
