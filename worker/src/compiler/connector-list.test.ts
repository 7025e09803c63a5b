import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AppBundle } from "./";
import { findOwnedApp } from "../apps/app-repository";
import type { AppRunner, AppTarget, SnippetTarget, TrialTarget } from "../isolates/app-runner";
import { appRunnerFor } from "../isolates/app-runner-for";
import { controlPlaneServing } from "../control-plane/control-plane-serving";
import { serveApp } from "../serving/serve-app";
import { newUser, type TestUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { AIRTABLE_FAKE_TOKEN } from "../../../connectors/airtable/fake/credentials";
import { deploySource } from "../versions/deploy-source";
import { publishVersion } from "../versions/publish-version";

/** Home page works without Airtable; /contacts reads a table and says why it could not. */
function contactsApp(greeting = "contacts"): Record<string, string> {
  return {
    "src/index.ts": `import { Hono } from "hono";
import { airtable } from "kiln/airtable";

const app = new Hono();
app.get("/", (c) => c.text(${JSON.stringify(greeting)}));
app.get("/contacts", async (c) => {
  try {
    const page = await airtable.table("appKilnDemoCRM001", "Contacts").list({ pageSize: 5 });
    return c.json(page.records);
  } catch (error) {
    return c.text("refused: " + (error as Error).message, 502);
  }
});
export default app;
`,
  };
}

const PLAIN_APP = { "src/index.ts": `export default { fetch: () => new Response("plain") };` };

/** What the runner was asked to run, passed on to the real runner of this deployment. */
class RecordingRunner implements AppRunner {
  readonly served: AppTarget[] = [];
  readonly prewarmed: AppTarget[] = [];
  readonly trials: TrialTarget[] = [];
  readonly #inner = appRunnerFor(env, "any-app");

  serve(target: AppTarget, request: Request): Promise<Response> {
    this.served.push(target);
    return this.#inner.serve(target, request);
  }
  prewarm(target: AppTarget): Promise<void> {
    this.prewarmed.push(target);
    return this.#inner.prewarm(target);
  }
  inspect(bundle: AppBundle): Promise<{ tables: unknown }> {
    return this.#inner.inspect(bundle);
  }
  trial(target: TrialTarget, request: Request): Promise<Response> {
    this.trials.push(target);
    return this.#inner.trial(target, request);
  }
  execute(target: SnippetTarget): Promise<Response> {
    return this.#inner.execute(target);
  }
}

async function ownedApp(user: TestUser, appId: string) {
  const app = await findOwnedApp(env.DB, user.id, appId);
  if (!app) throw new Error(`no app ${appId}`);
  return app;
}

describe("a version's connectors", () => {
  it("are the kiln/<id> modules its code imports: recorded on upload, listed, shown on the app and on publish", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "contacts" });
    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, { files: contactsApp() });
    expect(upload.status).toBe(200);
    expect(upload.body.connectors).toEqual(["airtable"]);
    const { id } = created.body;

    const listed = await user.call("GET", `/api/apps/${id}/versions`);
    expect(listed.body.versions).toEqual([
      expect.objectContaining({ version: upload.body.version, connectors: ["airtable"], preview: true, live: false }),
    ]);
    const before = await user.call("GET", `/api/apps/${id}`);
    expect(before.body).toMatchObject({ previewConnectors: ["airtable"], liveConnectors: null });

    const published = await user.call("POST", `/api/apps/${id}/publish`, { version: upload.body.version });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ version: upload.body.version, connectors: ["airtable"] });
    expect((await user.call("GET", `/api/apps/${id}`)).body).toMatchObject({
      previewConnectors: ["airtable"],
      liveConnectors: ["airtable"],
    });
  });

  it("an app importing no connector records none", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "plain" });
    const upload = await user.call("PUT", `/api/apps/${created.body.id}/source`, { files: PLAIN_APP });
    expect(upload.body.connectors).toEqual([]);
    await user.call("POST", `/api/apps/${created.body.id}/publish`, { version: upload.body.version });
    // A later version may use one; each version keeps its own list.
    const second = await user.call("PUT", `/api/apps/${created.body.id}/source`, { files: contactsApp() });
    expect(second.body.connectors).toEqual(["airtable"]);
    const listed = (await user.call("GET", `/api/apps/${created.body.id}/versions`)).body.versions;
    expect(listed.map((v: { number: number; connectors: string[] }) => [v.number, v.connectors])).toEqual([
      [2, ["airtable"]],
      [1, []],
    ]);
    expect((await user.call("GET", `/api/apps/${created.body.id}`)).body).toMatchObject({
      previewConnectors: ["airtable"],
      liveConnectors: [],
    });
  });

  it("the deployed app reaches Airtable through the egress once its owner connects it, and not before", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "connected contacts", contactsApp());
    expect((await visit(app.previewUrl)).text).toBe("contacts");
    const before = await visit(`${app.previewUrl}contacts`);
    expect(before.status).toBe(502);
    expect(before.text).toMatch(/^refused: Airtable is not connected/);
    expect((await user.call("PUT", "/api/connections/airtable", { key: AIRTABLE_FAKE_TOKEN })).status).toBe(201);
    const after = await visit(`${app.previewUrl}contacts`);
    expect(after.status).toBe(200);
    expect((JSON.parse(after.text) as { fields: Record<string, unknown> }[]).length).toBeGreaterThan(0);
    expect(after.text).not.toContain(AIRTABLE_FAKE_TOKEN);
  });

  it("a wrong call answers 422 at its file and line; an unknown kiln/<name> is refused in words; nothing is stored", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "typed contacts", contactsApp());
    const wrongCall = contactsApp()["src/index.ts"]!.replace("list({ pageSize: 5 })", "list({ pageSize: true })");
    const typeError = await user.call("PUT", `/api/apps/${app.id}/source`, { files: { "src/index.ts": wrongCall } });
    expect(typeError.status).toBe(422);
    expect(typeError.body.diagnostics).toEqual([
      {
        file: "src/index.ts",
        line: 8,
        column: expect.any(Number),
        message: "Type 'boolean' is not assignable to type 'number'.",
      },
    ]);
    const unknown = await user.call("PUT", `/api/apps/${app.id}/source`, {
      files: {
        "src/index.ts": `import { hubspot } from "kiln/hubspot";\nexport default { fetch: () => Response.json(hubspot) };`,
      },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.diagnostics).toEqual([
      {
        file: "src/index.ts",
        line: 1,
        column: 25,
        message:
          "'kiln/hubspot' is not a Kiln module: apps can import kiln and the service connectors kiln/ai, kiln/airtable, kiln/google and kiln/stripe.",
      },
    ]);
    expect((await user.call("GET", `/api/apps/${app.id}/versions`)).body.versions).toHaveLength(1);
  });

  it("every run of a version carries its connectors to the runner: smoke start, the live prewarm, and serving", async () => {
    const user = await newUser();
    const created = await user.call("POST", "/api/apps", { name: "wired" });
    const record = await ownedApp(user, created.body.id);
    const runner = new RecordingRunner();

    const deployed = await deploySource(env, runner, record, user.id, contactsApp("wired"), {
      confirmDestructive: false,
    });
    expect(runner.trials.map((t) => t.connectors)).toEqual([["airtable"]]);
    expect(runner.prewarmed, "a new preview is not prewarmed").toEqual([]);

    await publishVersion(env, runner, await ownedApp(user, record.id), user.id, deployed.version, {
      confirmDestructive: false,
      kind: "publish",
    });
    expect(runner.prewarmed.map((t) => [t.environment, t.connectors])).toEqual([["live", ["airtable"]]]);

    for (const environment of ["preview", "live"] as const) {
      const ctx = createExecutionContext();
      const url = environment === "live" ? created.body.liveUrl : created.body.previewUrl;
      const response = await serveApp(
        new Request(url),
        { slug: record.slug, environment },
        controlPlaneServing(env, ctx, runner),
      );
      expect(await response.text()).toBe("wired");
      await waitOnExecutionContext(ctx);
    }
    expect(runner.served.map((t) => [t.environment, t.connectors])).toEqual([
      ["preview", ["airtable"]],
      ["live", ["airtable"]],
    ]);

    // A version without connectors reaches the runner with an empty list, not the previous version's.
    const plain = await deploySource(env, runner, await ownedApp(user, record.id), user.id, PLAIN_APP, {
      confirmDestructive: false,
    });
    expect(plain.connectors).toEqual([]);
    const ctx = createExecutionContext();
    await (
      await serveApp(
        new Request(created.body.previewUrl),
        { slug: record.slug, environment: "preview" },
        controlPlaneServing(env, ctx, runner),
      )
    ).text();
    await waitOnExecutionContext(ctx);
    expect(runner.served.at(-1)).toMatchObject({ version: plain.version, connectors: [] });
  });
});
