import { Hono } from "hono";
import { z } from "zod";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";
import { listAlerts } from "../../alerts/alert-delivery";
import { readAlertSettings, saveAlertSettings } from "../../alerts/alert-settings";
import { noProblems, problemsOfOwnedApps } from "../../alerts/app-problems";
import type { AlertSettingsSaved, AlertsOverview, AppProblems } from "../../core/api-shapes";

const settingsSchema = z
  .object({
    email: z.boolean("email must be true or false"),
    webhookUrl: z.string().trim().max(2048, "keep the webhook URL under 2,048 characters").nullable(),
    rotateSecret: z.boolean().optional(),
  })
  .strict();

/**
 * `/api/alerts` (expects `c.var.user`): where the owner's alerts go (mail on or off, a webhook URL) and the alerts
 * sent lately. The webhook's signing secret is in the `PUT` answer once, when it is made, and nowhere else.
 */
export const alertRoutes = new Hono<PlatformContext>()
  .get("/", async (c) => {
    const [settings, alerts] = await Promise.all([
      readAlertSettings(c.env.DB, c.var.user.id),
      listAlerts(c.env.DB, c.var.user.id),
    ]);
    return c.json({ settings, alerts } satisfies AlertsOverview);
  })
  .put("/", async (c) => {
    const input = await readJson(c, settingsSchema);
    const saved = await saveAlertSettings(c.env, c.var.user.id, input);
    // The one answer that may carry the secret: never cached anywhere on the way.
    c.header("cache-control", "no-store");
    return c.json(saved satisfies AlertSettingsSaved);
  });

/** `GET /api/apps/:id/problems` (expects `c.var.app`): the workspace's badges — what needs fixing, and where. */
export const appProblemRoutes = new Hono<PlatformContext>().get("/problems", async (c) => {
  const problems = await problemsOfOwnedApps(c.env.DB, c.var.user.id, c.var.app.id);
  return c.json(problems.get(c.var.app.id) ?? (noProblems() satisfies AppProblems));
});
