// Each app's monthly AI token budget and its usage, in D1 (migration 0020). Counted per app, preview and live
// together (one owner pays for both), per calendar month in UTC so "this month" means the same on every runner.
import type { AiBudget, AiUsage } from "../core/api-shapes/ai";

/** A budget that covers a few hundred classifications or summaries a month, and stops a runaway loop within it. */
export const DEFAULT_MONTHLY_TOKENS = 100_000;

/** The largest budget an owner may set (a typo of three extra zeros should not mean "unlimited"). */
export const MAX_MONTHLY_TOKENS = 1_000_000_000;

/** The month a moment is counted in: `YYYY-MM`, UTC. */
export function usageMonth(now: Date): string {
  return now.toISOString().slice(0, 7);
}

/** When the count of `month` ends: the first moment of the next month, UTC. */
export function monthEnd(month: string): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, index, 1)).toISOString();
}

/** The app's budget and this month's usage. */
export async function readAiBudget(db: D1Database, appId: string, now = new Date()): Promise<AiBudget> {
  const month = usageMonth(now);
  const [budget, usage] = await db.batch<Record<string, number | null>>([
    db.prepare("SELECT monthly_tokens AS monthlyTokens FROM app_ai_budgets WHERE app_id = ?").bind(appId),
    db
      .prepare(
        "SELECT input_tokens AS inputTokens, output_tokens AS outputTokens, calls FROM app_ai_usage WHERE app_id = ? AND month = ?",
      )
      .bind(appId, month),
  ]);
  const chosen = budget?.results[0]?.monthlyTokens ?? null;
  const row = usage?.results[0];
  const used: AiUsage = {
    inputTokens: row?.inputTokens ?? 0,
    outputTokens: row?.outputTokens ?? 0,
    totalTokens: (row?.inputTokens ?? 0) + (row?.outputTokens ?? 0),
    calls: row?.calls ?? 0,
  };
  return {
    monthlyTokens: chosen ?? DEFAULT_MONTHLY_TOKENS,
    isDefault: chosen === null,
    month,
    used,
    resetsAt: monthEnd(month),
  };
}

/** Sets the app's monthly budget (tokens); takes effect on the next call. */
export async function setAiBudget(db: D1Database, appId: string, monthlyTokens: number): Promise<void> {
  await db
    .prepare(
      "INSERT INTO app_ai_budgets (app_id, monthly_tokens, updated_at) VALUES (?, ?, ?) ON CONFLICT(app_id) DO UPDATE SET monthly_tokens = excluded.monthly_tokens, updated_at = excluded.updated_at",
    )
    .bind(appId, monthlyTokens, new Date().toISOString())
    .run();
}

/**
 * The refusal an app sees once its month is spent, or when too little is left for this call (`needed`: its input
 * estimate and the least answer worth having): what happened, when it resets, who can change it.
 */
export function budgetExceededMessage(budget: AiBudget, needed?: { tokens: number; left: number }): string {
  const resets = new Date(budget.resetsAt).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
  const n = (tokens: number) => tokens.toLocaleString("en-US");
  const what =
    needed === undefined || budget.used.totalTokens >= budget.monthlyTokens
      ? `this app has used its AI budget for the month (${n(budget.used.totalTokens)} of ${n(budget.monthlyTokens)} tokens)`
      : `too little is left of this app's AI budget for this call: it needs about ${n(needed.tokens)} tokens, and ${n(Math.max(needed.left, 0))} of ${n(budget.monthlyTokens)} are left this month (calls under way hold some)`;
  return `${what}: no AI call was made. It starts again on ${resets}; the app's owner can raise the budget in the app's Settings in Kiln`;
}
