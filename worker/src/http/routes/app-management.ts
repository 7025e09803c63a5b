import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { recordAudit } from "../../audit/audit-log";
import { appConfig, createApp, findOwnedApp, renameApp, setAppConfig } from "../../apps/app-repository";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { deploySource } from "../../versions/deploy-source";
import { loadSource } from "../../versions/version-store";
import { ApiError } from "../../core/errors";
import { appView } from "./apps";
import type { App } from "../../core/api-shapes";

const appName = z.string().trim().min(1, "give the app a name").max(80, "keep the name under 80 characters");
const renameSchema = z.object({ name: appName }).strict();
const duplicateSchema = z.object({ name: appName.optional() }).strict();

/** Managing one app (`/api/apps/:id`): its name, and a copy of it; expects `c.var.app`. */
export function appManagementRoutes(runner: RunnerFor) {
  return (
    new Hono<PlatformContext>()
      // A new name; the app's addresses keep their slug, so links already shared still work.
      .patch("/", async (c) => {
        const { name } = await readJson(c, renameSchema);
        const { app } = c.var;
        await renameApp(c.env.DB, app.id, name);
        await recordAudit(c.env.DB, {
          userId: c.var.user.id,
          appId: app.id,
          action: "app.rename",
          detail: { from: app.name, to: name },
        });
        return c.json(appView(c.env, { ...app, name }) satisfies App);
      })
      // A new app with this one's preview code (built and checked again, as any upload) and its config values; its
      // data, access rules, connections' use and live version start afresh.
      .post("/duplicate", async (c) => {
        const { name } = await readJson(c, duplicateSchema);
        const source = c.var.app;
        const copy = await createApp(c.env.DB, c.var.user.id, name ?? `${source.name} (copy)`);
        await setAppConfig(c.env.DB, copy.id, await appConfig(c.env.DB, source.id));
        await recordAudit(c.env.DB, {
          userId: c.var.user.id,
          appId: copy.id,
          action: "app.duplicate",
          detail: { from: source.id, version: source.previewVersion },
        });
        const files = source.previewVersion ? await loadSource(c.env.BUNDLES, source.id, source.previewVersion) : null;
        if (files) {
          try {
            await deploySource(c.env, runner(c.env, copy.slug), copy, c.var.user.id, files, {
              confirmDestructive: false,
            });
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            // The copy keeps no code rather than failing whole: its Code tab shows the last build's problems.
            throw new ApiError(
              409,
              "build_failed",
              `The copy "${copy.name}" was made, but its code did not build again; open it to see why.`,
              { app: appView(c.env, copy) },
            );
          }
        }
        const made = (await findOwnedApp(c.env.DB, c.var.user.id, copy.id)) ?? copy;
        return c.json(appView(c.env, made) satisfies App, 201);
      })
  );
}
