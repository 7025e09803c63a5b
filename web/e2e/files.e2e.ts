// Files for apps end to end: a visitor uploads a file through the app's own multipart form, the app stores it with
// env.FILES.put and links it with a signed, expiring URL, the link downloads it on the app's host (behind the
// preview's owner-only rule), and the owner sees it listed in the Data tab, downloads it and deletes it from there.
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type KilnBrowser, ready, shot, startKilnBrowser } from "./harness";

const APP_SOURCE = `import { Hono } from "hono";
import type { AppEnv } from "kiln";

const app = new Hono<{ Bindings: AppEnv }>();
const escape = (text: string) => text.replace(/[&<>"]/g, (ch) => "&#" + ch.charCodeAt(0) + ";");
app.get("/", async (c) => {
  const items = await Promise.all(
    (await c.env.FILES.list()).map(async (f) => '<li><a href="' + escape(await c.env.FILES.url(f.name, { expiresIn: 600 })) + '">' + escape(f.name) + "</a> " + f.size + " bytes</li>"),
  );
  return c.html('<h1>Uploads</h1><form method="post" action="/upload" enctype="multipart/form-data"><input type="file" name="file"><button>Upload</button></form><ul>' + items.join("") + "</ul>");
});
app.post("/upload", async (c) => {
  const file = (await c.req.formData()).get("file");
  if (!(file instanceof File)) return c.text("Choose a file first.", 400);
  await c.env.FILES.put(file.name, file);
  return c.redirect("/", 303);
});
export default app;
`;

const CONTENT = "quarterly numbers: 42\n".repeat(2000);

let harness: KilnBrowser;
let context: BrowserContext;
let page: Page;
let app: { id: string; previewUrl: string };

async function api(method: "GET" | "POST" | "PUT", path: string, data?: unknown): Promise<Record<string, unknown>> {
  const response = await page.request.fetch(`${harness.kiln.url}${path}`, { method, data });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

beforeAll(async () => {
  harness = await startKilnBrowser("files-kiln.log");
  context = await harness.newContext({ width: 1280, height: 900 });
  page = await context.newPage();
  await api("POST", "/api/auth/signup", {
    email: `files-${Date.now()}@example.com`,
    password: "correct horse battery",
  });
  const created = await api("POST", "/api/apps", { name: "Uploads" });
  app = { id: String(created.id), previewUrl: String(created.previewUrl) };
  await api("PUT", `/api/apps/${app.id}/source`, { files: { "src/index.ts": APP_SOURCE } });
});

afterAll(async () => {
  await harness?.stop();
});

describe("files for apps", () => {
  test("a form's upload is stored, linked with a signed URL, and listed in the Data tab", async () => {
    // The preview is owner-only: the owner's one-time link signs this browser in on the app's host.
    const visit = await api("POST", `/api/apps/${app.id}/visit`, { environment: "preview" });
    await page.goto(String(visit.url));
    await page.getByRole("heading", { name: "Uploads" }).waitFor();

    await page.locator('input[type="file"]').setInputFiles({
      name: "report.txt",
      mimeType: "text/plain",
      buffer: Buffer.from(CONTENT),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    const link = page.getByRole("link", { name: "report.txt" });
    await link.waitFor();
    expect(await page.textContent("li")).toContain(`${CONTENT.length} bytes`);
    const href = String(await link.getAttribute("href"));
    expect(href).toMatch(/^\/_kiln\/files\/report\.txt\?upload=[\w-]+&exp=\d+&sig=[\w-]{43}$/);

    // The signed link, with this browser's session on the app host (fetched in the page: only the browser
    // resolves *.localhost): the file, inert.
    const fetched = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return {
        status: response.status,
        text: await response.text(),
        nosniff: response.headers.get("x-content-type-options"),
        csp: response.headers.get("content-security-policy"),
      };
    }, href);
    expect(fetched.status).toBe(200);
    expect(fetched.text).toBe(CONTENT);
    expect(fetched.nosniff).toBe("nosniff");
    expect(fetched.csp).toMatch(/^sandbox/);
    // Without a session (a fresh browser context) the private preview's file stays private: sign-in first.
    const stranger = await harness.newContext({ width: 800, height: 600 });
    const strangerPage = await stranger.newPage();
    await strangerPage.goto(new URL(href, page.url()).href);
    expect(strangerPage.url()).toContain("/_kiln/sign-in");
    expect(await strangerPage.content()).not.toContain("quarterly numbers");
    await stranger.close();

    // The owner's Data tab lists it, with a download through Kiln.
    await page.goto(`${harness.kiln.url}/apps/${app.id}/data`);
    await ready(page);
    const files = page.locator("section.files");
    const fileLink = files.getByRole("link", { name: "report.txt", exact: true });
    await fileLink.waitFor();
    expect(await files.textContent()).toContain("text/plain");
    expect(await files.textContent()).toContain("Files 1–1 of 1");
    await shot(page, "files-data-tab");
    const ownerHref = String(await fileLink.getAttribute("href"));
    const ownerDownload = await page.request.get(`${harness.kiln.url}${ownerHref}`);
    expect(ownerDownload.status()).toBe(200);
    expect(ownerDownload.headers()["content-disposition"]).toMatch(/^attachment/);
    expect(await ownerDownload.text()).toBe(CONTENT);

    // Deleting asks first; keeping it changes nothing, confirming deletes it from the list, the app and the bucket.
    await files.getByRole("link", { name: "Delete report.txt" }).click();
    await files.getByRole("link", { name: "Keep it" }).click();
    await files.getByRole("button", { name: "Delete file" }).waitFor({ state: "detached" });
    await files.getByRole("link", { name: "Delete report.txt" }).click();
    await files.getByRole("button", { name: "Delete file" }).waitFor();
    await shot(page, "files-delete-confirm");
    await files.getByRole("button", { name: "Delete file" }).click();
    await files.getByText("report.txt was deleted.").waitFor();
    expect(await files.textContent()).toContain("No files yet");
    const listed = (await api("GET", `/api/apps/${app.id}/files?environment=preview`)) as { total: number };
    expect(listed.total).toBe(0);
    expect((await page.request.get(`${harness.kiln.url}${ownerHref}`)).status()).toBe(404);
  });
});
