// The JSON of an app's AI budget (`GET`/`PUT /api/apps/:id/ai-budget`), shared with the web UI.

/** Tokens an app's AI calls used in one calendar month (UTC). */
export interface AiUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  calls: number;
}

/** An app's monthly AI token budget and what this month has used of it. */
export interface AiBudget {
  /** Tokens (input + output) the app may use per calendar month; calls past it are refused. */
  monthlyTokens: number;
  /** True while the owner has not chosen a budget (Kiln's default applies). */
  isDefault: boolean;
  /** The month counted, `YYYY-MM` (UTC). */
  month: string;
  used: AiUsage;
  /** When the count starts again (ISO, the first of next month, UTC). */
  resetsAt: string;
}
