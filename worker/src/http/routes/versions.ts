import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { parseWith, readJson } from "../validation";
import { NotFoundError } from "../../core/errors";
import type { RunnerFor } from "../../isolates/app-runner-for";
import { deploySource } from "../../versions/deploy-source";
import { versionsEverLive } from "../../versions/deployments";
import { publishVersion } from "../../versions/publish-version";
import { publishPlan } from "../../versions/publish-plan";
import { restoreToPreview } from "../../versions/restore-version";
import { readLastBuild } from "../../versions/last-build";
import { versionPermissions } from "../../versions/version-permissions";
import { listVersions, loadSource } from "../../versions/version-store";
import type { DeployResult, LastBuild, ListedVersion, PublishPlan, SourceSnapshot } from "../../core/api-shapes";

const sourceSchema = z.object({
  files: z.record(z.string(), z.string(), "files must map each path to its text"),
  confirmDestructive: z.boolean().optional(),
});
const versionId = z.string().regex(/^[0-9a-f]{16}$/, "version must be a version id such as 3f2a9c0d1b4e5f67");
const versionSchema = z.object({ version: versionId, confirmDestructive: z.boolean().optional() });
const publishSchema = versionSchema.extend({
  liveData: z.enum(["copy", "empty"], 'liveData must be "copy" or "empty"').optional(),
});

/** Source uploads, the last build's outcome, versions, publish, restore and rollback under `/api/apps/:id`; expects `c.var.app`. */
export function versionRoutes(runner: RunnerFor) {
  return (
    new Hono<PlatformContext>()
      .put("/source", async (c) => {
        const { files, confirmDestructive } = await readJson(c, sourceSchema);
        const result = await deploySource(c.env, runner(c.env, c.var.app.slug), c.var.app, c.var.user.id, files, {
          confirmDestructive: confirmDestructive ?? false,
        });
        return c.json(result satisfies DeployResult);
      })
      .get("/source", async (c) => {
        const { version } = parseWith(z.object({ version: z.string().optional() }), c.req.query());
        const wanted = version ?? c.var.app.previewVersion;
        if (!wanted) throw new NotFoundError("Source (nothing has been uploaded yet)");
        const files = await loadSource(c.env.BUNDLES, c.var.app.id, wanted);
        if (!files) throw new NotFoundError(`Version ${wanted}`);
        return c.json({ version: wanted, files } satisfies SourceSnapshot);
      })
      // The outcome of the app's most recent build (hand save or chat turn), kept so its problems survive a reload.
      .get("/builds/last", async (c) =>
        c.json({ build: await readLastBuild(c.env.DB, c.var.app.id) } satisfies { build: LastBuild | null }),
      )
      .get("/versions", async (c) => {
        const { app } = c.var;
        const [versions, everLive] = await Promise.all([
          listVersions(c.env.DB, app.id),
          versionsEverLive(c.env.DB, app.id),
        ]);
        return c.json({
          versions: versions.map((v) => ({
            ...v,
            preview: v.version === app.previewVersion,
            live: v.version === app.liveVersion,
            // Rollback is only offered to versions that have been live; others are published.
            wasLive: everLive.has(v.version),
            permissions: versionPermissions(v.connectors),
          })),
        } satisfies { versions: ListedVersion[] });
      })
      // What publishing a version would change, read before the owner confirms (the Versions tab's summary).
      .get("/publish-plan", async (c) => {
        const { version } = parseWith(z.object({ version: versionId }), c.req.query());
        return c.json((await publishPlan(c.env, c.var.app, version)) satisfies PublishPlan);
      })
      .post("/publish", async (c) => {
        const { version, confirmDestructive, liveData } = await readJson(c, publishSchema);
        return c.json(
          await publishVersion(c.env, runner(c.env, c.var.app.slug), c.var.app, c.var.user.id, version, {
            confirmDestructive: confirmDestructive ?? false,
            kind: "publish",
            liveData,
          }),
        );
      })
      // An earlier version becomes the preview again (the Versions tab's "Restore to preview").
      .post("/restore", async (c) => {
        const { version, confirmDestructive } = await readJson(c, versionSchema);
        const result = await restoreToPreview(c.env, runner(c.env, c.var.app.slug), c.var.app, c.var.user.id, version, {
          confirmDestructive: confirmDestructive ?? false,
        });
        return c.json(result satisfies DeployResult);
      })
      .post("/rollback", async (c) => {
        const { version, confirmDestructive } = await readJson(c, versionSchema);
        return c.json(
          await publishVersion(c.env, runner(c.env, c.var.app.slug), c.var.app, c.var.user.id, version, {
            confirmDestructive: confirmDestructive ?? false,
            kind: "rollback",
          }),
        );
      })
  );
}
