import { Hono } from "hono";
import { z } from "zod";
import { MAX_MONTHLY_TOKENS, readAiBudget, setAiBudget } from "../../app-ai";
import { recordAudit } from "../../audit/audit-log";
import type { AiBudget } from "../../core/api-shapes";
import type { PlatformContext } from "../context";
import { readJson } from "../validation";

const budgetSchema = z.object({ monthlyTokens: z.number().int().min(0).max(MAX_MONTHLY_TOKENS) }).strict();

/**
 * `GET`/`PUT /api/apps/:id/ai-budget`: the app's monthly AI token budget and this month's usage (kiln/ai calls).
 * 0 turns the app's AI off; the change applies to the next call, and is audited (it decides what the owner pays).
 */
export const aiBudgetRoutes = new Hono<PlatformContext>()
  .get("/ai-budget", async (c) =>
    c.json({ budget: await readAiBudget(c.env.DB, c.var.app.id) } satisfies { budget: AiBudget }),
  )
  .put("/ai-budget", async (c) => {
    const { monthlyTokens } = await readJson(c, budgetSchema);
    const before = await readAiBudget(c.env.DB, c.var.app.id);
    await setAiBudget(c.env.DB, c.var.app.id, monthlyTokens);
    await recordAudit(c.env.DB, {
      userId: c.var.user.id,
      appId: c.var.app.id,
      action: "app.ai_budget",
      detail: { monthlyTokens, previous: before.isDefault ? null : before.monthlyTokens },
    });
    return c.json({ budget: await readAiBudget(c.env.DB, c.var.app.id) } satisfies { budget: AiBudget });
  });
