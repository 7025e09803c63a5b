// How many input tokens a call is held for before it is sent: its texts from their size, plus what the provider adds
// around them (roles, separators, and for generateObject the tool or JSON-mode instructions it writes itself).
//
// The bound: a provider that counts more than this estimate (the answer is capped at maxOutputTokens, so only input
// can exceed its hold) makes the month overshoot by that excess, once per call under way at that moment. The margins
// below cover the framing OpenAI and Anthropic add today, so in practice the month ends within its budget; a model
// that frames far more overshoots by at most (its excess × calls at once), and the next call is refused.
import type { AiRequest } from "./ai-request";

/**
 * Tokens a provider adds to a call beyond its texts, per output mode: a text call's few, and a generateObject's
 * tool definition or JSON-mode instructions (a few hundred, measured on OpenAI's and Anthropic's structured output).
 */
export const FRAMING_TOKENS: Readonly<Record<AiRequest["output"], number>> = { text: 32, object: 400 };

// Each message carries a few tokens of its own (its role, separators).
const TOKENS_PER_TEXT = 8;

/**
 * Input tokens of a call: a UTF-8 byte a third of a token, which errs high for English (about four characters a
 * token) and holds for scripts whose characters take several bytes and tokens each, plus the provider's framing.
 */
export function estimateInputTokens(texts: readonly string[], output: AiRequest["output"]): number {
  const bytes = texts.reduce((sum, text) => sum + new TextEncoder().encode(text).byteLength, 0);
  return Math.ceil(bytes / 3) + TOKENS_PER_TEXT * texts.length + FRAMING_TOKENS[output];
}
