// The builder UI's speed targets, in a real browser (Debian's Chromium):
// the app list's first load ships ≤ 150 KB of gzipped JavaScript, and the app
// workspace is interactive (SvelteKit hydrated: the chat box and tabs answer)
// within 1.5 s locally. Measured on a running Kiln, cold (a new browser
// context: no cache) and warm (the same context again).
// `node bench/web-ui.mjs` runs it alone on its own Kiln.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "../scripts/chromium.mjs";
import { percentile, request } from "./http.mjs";

const SAMPLES = Number(process.env.BENCH_WEB_SAMPLES ?? 10);
const JS_BUDGET_KB = 150;
const INTERACTIVE_TARGET_MS = 1500;

/** Milliseconds from navigation start until the page is hydrated (the UI's own marker). */
async function timeToInteractive(page, url) {
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForSelector("html[data-hydrated]", { state: "attached" });
  return page.evaluate(() => performance.now());
}

/** Gzipped bytes of every script `url` loads from Kiln itself. */
async function scriptBytes(browser, cookies, origin, url) {
  const context = await browser.newContext();
  await context.addCookies(cookies);
  const page = await context.newPage();
  const scripts = new Set();
  page.on(
    "response",
    (r) => r.request().resourceType() === "script" && r.url().startsWith(origin) && scripts.add(r.url()),
  );
  await page.goto(url, { waitUntil: "networkidle" });
  let bytes = 0;
  for (const script of scripts) bytes += gzipSync(Buffer.from(await (await fetch(script)).arrayBuffer())).length;
  await context.close();
  return { bytes, files: scripts.size };
}

/** Figures for an app built from the tracker template, as a signed-in owner sees it. */
export async function webUiFigures(port) {
  const origin = `http://localhost:${port}`;
  const signup = await request(port, {
    method: "POST",
    path: "/api/auth/signup",
    body: { email: `web${Date.now()}@example.com`, password: "benchmark password" },
  });
  const session = String(signup.headers["set-cookie"]).split(";")[0].split("=");
  const created = await request(port, {
    method: "POST",
    path: "/api/apps",
    headers: { cookie: session.join("=") },
    body: { template: "tracker" },
  });
  const appId = /"id":"(app_[^"]+)"/.exec(created.text)?.[1];
  if (!appId || !created.text.includes('"status":"built"'))
    throw new Error(`the tracker template did not build: ${created.text.slice(0, 400)}`);
  const cookies = [{ name: session[0], value: session.slice(1).join("="), domain: "localhost", path: "/" }];
  const workspace = `${origin}/apps/${appId}`;

  const browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
  try {
    const js = await scriptBytes(browser, cookies, origin, `${origin}/apps`);
    const cold = [];
    const warm = [];
    for (let i = 0; i < SAMPLES; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies(cookies);
      const page = await context.newPage();
      cold.push(await timeToInteractive(page, workspace));
      warm.push(await timeToInteractive(page, workspace));
      await context.close();
    }
    cold.sort((a, b) => a - b);
    warm.sort((a, b) => a - b);
    return { js, cold, warm };
  } finally {
    await browser.close();
  }
}

/** Prints the figures and whether each target holds. */
export function printWebUi({ js, cold, warm }) {
  const kb = js.bytes / 1024;
  const row = (label, s) =>
    `| ${label} | ${percentile(s, 50).toFixed(0)} | ${percentile(s, 95).toFixed(0)} | ${s.length} |`;
  console.log(`\nBuilder UI — the app workspace until interactive (hydrated), ${cold.length} loads each\n`);
  console.log("| load | p50 ms | p95 ms | loads |");
  console.log("|---|---:|---:|---:|");
  console.log(row("cold (new browser context)", cold));
  console.log(row("warm (same context, cached)", warm));
  const p95 = percentile(cold, 95);
  console.log(
    `\nTargets: app list JS ≤ ${JS_BUDGET_KB} KB gzipped: ${kb.toFixed(1)} KB in ${js.files} files ${kb <= JS_BUDGET_KB ? "✓" : "✗"} · workspace interactive ≤ ${INTERACTIVE_TARGET_MS} ms (cold p95): ${p95.toFixed(0)} ms ${p95 <= INTERACTIVE_TARGET_MS ? "✓" : "✗"}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { startKiln, freePort } = await import("../scripts/local-server.mjs");
  const persistTo = mkdtempSync(path.join(tmpdir(), "kiln-bench-web-"));
  const port = await freePort();
  const kiln = await startKiln({ port, persistTo });
  try {
    printWebUi(await webUiFigures(port));
  } finally {
    await kiln.stop();
    rmSync(persistTo, { recursive: true, force: true });
  }
}
