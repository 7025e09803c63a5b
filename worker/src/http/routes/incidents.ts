import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { appChanged } from "../../serving/app-lookup";
import { listIncidents, listQuarantines, releaseQuarantine } from "../../incidents/incident-store";
import type { IncidentsOverview } from "../../core/api-shapes";

const resumeSchema = z.object({
  version: z
    .string()
    .regex(/^[0-9a-f]{16}$/, "version must be a version id")
    .optional(),
});

/** `/api/apps/:id/incidents` and `/api/apps/:id/resume`: what brought the runner down, and un-pausing. */
export const incidentRoutes = new Hono<PlatformContext>()
  .get("/incidents", async (c) =>
    c.json({
      incidents: await listIncidents(c.env.DB, c.var.app.id),
      quarantines: await listQuarantines(c.env.DB, c.var.app.id),
    } satisfies IncidentsOverview),
  )
  .post("/resume", async (c) => {
    const { version } = await readJson(c, resumeSchema);
    const released = await releaseQuarantine(c.env.DB, c.var.app.id, version);
    await appChanged(c.env, c.var.app.slug);
    return c.json({ released });
  });
