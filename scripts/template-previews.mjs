// `node scripts/template-previews.mjs`: the gallery's pictures. Starts a local
// Kiln in demo mode, builds every template as an app, and screenshots its
// preview into web/static/templates/<id>.jpg. Run it after changing a template's page.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, chromiumPath } from "./chromium.mjs";
import { freePort, startKiln } from "./local-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "web", "static", "templates");
mkdirSync(out, { recursive: true });

const persistTo = mkdtempSync(path.join(tmpdir(), "kiln-previews-"));
const kiln = await startKiln({ port: await freePort(), persistTo, logFile: path.join(persistTo, "kiln.log") });
const browser = await chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
try {
  const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, colorScheme: "light" });
  const page = await context.newPage();
  const signup = await page.request.post(`${kiln.url}/api/auth/signup`, {
    data: { email: `previews-${Date.now()}@example.com`, password: "template previews" },
  });
  if (!signup.ok()) throw new Error(`sign-up failed: ${signup.status()}`);
  const { templates } = await (await page.request.get(`${kiln.url}/api/templates`)).json();
  for (const template of templates) {
    const stream = await (await page.request.post(`${kiln.url}/api/apps`, { data: { template: template.id } })).text();
    const app = /event: app\ndata: (.*)/.exec(stream)?.[1];
    if (!app || !stream.includes('"status":"built"')) throw new Error(`${template.id} did not build:\n${stream}`);
    await page.goto(JSON.parse(app).app.previewUrl);
    await page.waitForLoadState("networkidle");
    await page.screenshot({ path: path.join(out, `${template.id}.jpg`), type: "jpeg", quality: 70 });
    console.log(`${template.id}.jpg`);
  }
} finally {
  await browser.close();
  await kiln.stop();
  rmSync(persistTo, { recursive: true, force: true });
}
