// The operator's model is shared by every owner who has not connected a key of their own, and sign-up is open: so
// each owner (all their apps together) gets at most KILN_AI_OWNER_MONTHLY_TOKENS of it per calendar month (UTC).
// An owner's own key is theirs to spend: then only each app's budget applies. The demo model costs nothing.
import { ModelConfigError } from "../models";
import { monthEnd } from "./ai-budget";

/** The allowance when the operator sets none: a few hundred classifications or summaries a month per owner. */
export const DEFAULT_OWNER_MONTHLY_TOKENS = 100_000;

/**
 * Tokens of the operator's model each owner may use per month; 0: the operator's model answers no app. Throws
 * ModelConfigError for a value that is not a whole number, so a typo never means "unlimited".
 */
export function ownerMonthlyTokens(env: { KILN_AI_OWNER_MONTHLY_TOKENS?: string }): number {
  const raw = (env.KILN_AI_OWNER_MONTHLY_TOKENS ?? "").trim().replaceAll("_", "");
  if (raw === "") return DEFAULT_OWNER_MONTHLY_TOKENS;
  if (!/^\d{1,15}$/.test(raw))
    throw new ModelConfigError(
      `KILN_AI_OWNER_MONTHLY_TOKENS must be a whole number of tokens (0 keeps apps off the operator's model), not "${raw.slice(0, 40)}"`,
    );
  return Number(raw);
}

const CONNECT_OWN_KEY =
  "the app's owner can connect their own OpenAI or Anthropic key under Connections → AI in Kiln, and then only each app's own AI budget applies";

/** The refusal when the operator shares no model with apps (KILN_AI_OWNER_MONTHLY_TOKENS is 0). */
export function sharedModelOffMessage(): string {
  return `this Kiln does not let apps use its own AI model: no AI call was made. To use AI, ${CONNECT_OWN_KEY}`;
}

/**
 * The refusal when the shared allowance cannot hold a call: spent (what, until when, how to lift it), or too little
 * left for this call's input and answer (`needed`).
 */
export function ownerAllowanceExceededMessage(allowance: {
  used: number;
  left: number;
  needed: number;
  monthlyTokens: number;
  month: string;
}): string {
  const resets = new Date(monthEnd(allowance.month)).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    timeZone: "UTC",
  });
  const n = (tokens: number) => tokens.toLocaleString("en-US");
  const what =
    allowance.used >= allowance.monthlyTokens
      ? `the shared AI allowance of this app's owner is used up for the month: their apps together used ${n(allowance.used)} of the ${n(allowance.monthlyTokens)} tokens Kiln's own model allows each owner`
      : `too little is left of the shared AI allowance of this app's owner for this call: it needs about ${n(allowance.needed)} tokens, and ${n(Math.max(allowance.left, 0))} of the ${n(allowance.monthlyTokens)} tokens a month Kiln's own model allows each owner are left (calls under way hold some)`;
  return `${what}, so no AI call was made. It starts again on ${resets}; to lift it now, ${CONNECT_OWN_KEY}`;
}
