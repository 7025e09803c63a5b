import { Hono } from "hono";
import { z } from "zod";
import type { AppRecord } from "../../core/records";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { recordAudit } from "../../audit/audit-log";
import { appDataStore } from "../../data";
import { listQuarantines } from "../../incidents/incident-store";
import type { Env } from "../../core/env";
import { appChanged } from "../../serving/app-lookup";
import { connectorsOfVersions, deleteAppObjects } from "../../versions/version-store";
import { deleteAllAppFiles } from "../../files/app-files-admin";
import { appConfig, createApp, deleteAppRecords, listOwnedApps, setAppConfig } from "../../apps/app-repository";
import { appUrl } from "../../placement/app-urls";
import { streamTurn } from "../turn-stream";
import { ApiError } from "../../core/errors";
import { configProblem } from "../../setup/setup-values";
import { listTemplates, UnknownTemplateError, type TemplateSummary } from "../../templates";
import { healthOfOwnedApps, healthy } from "../../versions/app-health";
import { noProblems, problemsOfOwnedApps } from "../../alerts/app-problems";
import type { App, AppConfig, AppDetail, ListedApp } from "../../core/api-shapes";

const appName = z.string().trim().min(1, "give the app a name").max(80, "keep the name under 80 characters");
// `{ name }` creates an empty app; `{ prompt }` (name optional) also runs the first chat turn and streams it;
// `{ template }` (name optional) deploys a gallery template as it is, streamed the same way.
const createSchema = z.union([
  z.object({ name: appName, timeZone: z.string().max(64).optional() }).strict(),
  z
    .object({
      prompt: z.string().trim().min(1, "describe the app").max(8000, "keep the prompt under 8,000 characters"),
      name: appName.optional(),
      // The person's time zone as their browser reports it (the model's "now"); the other shapes may carry it too.
      timeZone: z.string().max(64).optional(),
    })
    .strict(),
  z
    .object({
      template: z.string().trim().min(1, "pick a template").max(64),
      name: appName.optional(),
      timeZone: z.string().max(64).optional(),
    })
    .strict(),
]);
const configSchema = z.object({ values: z.record(z.string(), z.string(), "send values as names mapped to text") });

/** An app as the API shows it. */
export function appView(env: Env, app: AppRecord): App {
  return {
    id: app.id,
    name: app.name,
    slug: app.slug,
    previewUrl: appUrl(env, app.slug, "preview"),
    liveUrl: appUrl(env, app.slug, "live"),
    previewVersion: app.previewVersion,
    liveVersion: app.liveVersion,
    createdAt: app.createdAt,
  };
}

/** `/api/apps` collection routes (the first chat turn runs in the app's TurnRunner). */
export function appCollectionRoutes() {
  return new Hono<PlatformContext>()
    .post("/", async (c) => {
      const body = await readJson(c, createSchema);
      const prompt = "prompt" in body ? body.prompt : null;
      const template = "template" in body ? templateNamed(body.template) : null;
      const name = body.name ?? template?.name ?? nameFromPrompt(prompt ?? "");
      const app = await createApp(c.env.DB, c.var.user.id, name);
      await recordAudit(c.env.DB, {
        userId: c.var.user.id,
        appId: app.id,
        action: "app.create",
        detail: { name, slug: app.slug, template: template?.id ?? null },
      });
      const first = [{ type: "app" as const, app: appView(c.env, app) }];
      if (template !== null)
        return streamTurn(c, app, `Start from the "${template.title}" template.`, {
          first,
          templateId: template.id,
        });
      if (prompt !== null) return streamTurn(c, app, prompt, { first, timeZone: body.timeZone });
      return c.json(appView(c.env, app), 201);
    })
    .get("/", async (c) => {
      const [apps, health, problems] = await Promise.all([
        listOwnedApps(c.env.DB, c.var.user.id),
        healthOfOwnedApps(c.env.DB, c.var.user.id),
        problemsOfOwnedApps(c.env.DB, c.var.user.id),
      ]);
      return c.json({
        apps: apps.map((app) => ({
          ...appView(c.env, app),
          health: health.get(app.id) ?? healthy(),
          problems: problems.get(app.id) ?? noProblems(),
        })),
      } satisfies { apps: ListedApp[] });
    });
}

/** Routes on one app (`/api/apps/:id`); expects `c.var.app`. */
export const appItemRoutes = new Hono<PlatformContext>()
  .get("/", async (c) => {
    const { app } = c.var;
    const deployed = [app.previewVersion, app.liveVersion].flatMap((v) => (v === null ? [] : [v]));
    const [quarantines, connectors] = await Promise.all([
      listQuarantines(c.env.DB, app.id),
      connectorsOfVersions(c.env.DB, app.id, deployed),
    ]);
    // The services the preview and live code use (null: nothing deployed there yet).
    const connectorsOf = (version: string | null) => (version === null ? null : (connectors.get(version) ?? []));
    return c.json({
      ...appView(c.env, app),
      previewConnectors: connectorsOf(app.previewVersion),
      liveConnectors: connectorsOf(app.liveVersion),
      quarantines,
    } satisfies AppDetail);
  })
  .delete("/", async (c) => {
    const { app } = c.var;
    await Promise.all([appDataStore(c.env, app, "preview").destroy(), appDataStore(c.env, app, "live").destroy()]);
    await deleteAppObjects(c.env.BUNDLES, app.id);
    await deleteAllAppFiles(c.env, app.id);
    await deleteAppRecords(c.env.DB, app.id);
    await recordAudit(c.env.DB, {
      userId: c.var.user.id,
      appId: app.id,
      action: "app.delete",
      detail: { slug: app.slug },
    });
    await appChanged(c.env, app.slug);
    return c.json({ ok: true });
  })
  .get("/config", async (c) => {
    return c.json({ values: await appConfig(c.env.DB, c.var.app.id) } satisfies AppConfig);
  })
  .put("/config", async (c) => {
    const { values } = await readJson(c, configSchema);
    const problem = configProblem(values);
    if (problem) throw new ApiError(400, "bad_request", problem);
    await setAppConfig(c.env.DB, c.var.app.id, values);
    await appChanged(c.env, c.var.app.slug);
    return c.json({ values } satisfies AppConfig);
  });

/** The gallery template `id` with the name its app gets, or a 400 listing the known ones. */
function templateNamed(id: string): TemplateSummary & { name: string } {
  const found = listTemplates().find((t) => t.id === id);
  if (found === undefined) throw new ApiError(400, "bad_request", new UnknownTemplateError(id).message);
  return { ...found, name: found.defaultName };
}

/** A short app name from the first words of a prompt ("A booking page for my salon…" → "A booking page for my salon"). */
function nameFromPrompt(prompt: string): string {
  const words = prompt.replace(/\s+/g, " ").trim().split(" ").slice(0, 6).join(" ");
  return (words.length > 60 ? words.slice(0, 60) : words).replace(/[.,;:!?]+$/, "") || "New app";
}
