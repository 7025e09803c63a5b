import { Hono } from "hono";
import { z } from "zod";
import { appConfig } from "../../apps/app-repository";
import type { AppSetup } from "../../core/api-shapes/setup";
import { ApiError } from "../../core/errors";
import { appSetup, declaredItem, saveSetupValues } from "../../setup/app-setup";
import { airtableBases, findOrCreateGoogleSheet, findOrCreateAirtableTable } from "../../setup/service-resources";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";

const valuesSchema = z.object({
  values: z
    .record(z.string().max(64), z.string().max(4096))
    .refine((v) => Object.keys(v).length <= 40, "too many values"),
});
const createSchema = z.object({ baseId: z.string().trim().max(64).optional() }).strict();

/**
 * What an app asks its owner for, under `/api/apps/:id` (owner only): the declared items and which are set, the
 * values, and "create it for me" for a Google Sheet or an Airtable table in the owner's connected account.
 */
export const setupRoutes = new Hono<PlatformContext>()
  .get("/setup", async (c) => c.json((await appSetup(c.env, c.var.app, c.req.query("version"))) satisfies AppSetup))
  .put("/setup", async (c) => {
    const { values } = await readJson(c, valuesSchema);
    return c.json((await saveSetupValues(c.env, c.var.app, values)) satisfies AppSetup);
  })
  .get("/setup/airtable-bases", async (c) => c.json({ bases: await airtableBases(c.env, c.var.app.ownerId) }))
  .post("/setup/:key/create", async (c) => {
    const app = c.var.app;
    const item = await declaredItem(c.env, app, c.req.param("key"));
    const { baseId } = await readJson(c, createSchema);
    if (item.type === "google_sheet") {
      const id = await findOrCreateGoogleSheet(c.env, app.ownerId, item);
      return c.json((await saveSetupValues(c.env, app, { [item.key]: id })) satisfies AppSetup, 201);
    }
    if (item.type === "airtable_table") {
      const base = baseId ?? (await appConfig(c.env.DB, app.id))[`${item.key}_BASE`];
      if (!base) throw new ApiError(400, "bad_request", `${item.label}: pick the Airtable base the table goes in.`);
      const table = await findOrCreateAirtableTable(c.env, app.ownerId, base, item);
      return c.json(
        (await saveSetupValues(c.env, app, { [item.key]: table, [`${item.key}_BASE`]: base })) satisfies AppSetup,
        201,
      );
    }
    throw new ApiError(400, "bad_request", `${item.label} is a value to type in; Kiln cannot create it.`);
  });
