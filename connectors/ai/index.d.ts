// AI inside the app, shaped like the AI SDK's generateText/generateObject (no `model`: Kiln picks it and holds the
// key). Tokens count against the app's monthly budget, which its owner sets.
import type { z } from "zod";

export interface AIMessage { role: "system" | "user" | "assistant"; content: string }
export interface AIUsage { inputTokens: number; outputTokens: number; totalTokens: number }
export type AIPrompt = { system?: string; maxOutputTokens?: number; temperature?: number } & ({ prompt: string } | { messages: AIMessage[] });

/** `const { text } = await generateText({ system: "Summarise in one sentence.", prompt: JSON.stringify(orders) })` */
export declare function generateText(options: AIPrompt): Promise<{ text: string; usage: AIUsage; finishReason: string }>;

/** `const { object } = await generateObject({ schema: z.object({ label: z.enum(["bug", "praise", "question"]) }), prompt })`: validated against `schema`. */
export declare function generateObject<S extends z.ZodType>(
  options: AIPrompt & { schema: S; schemaName?: string; schemaDescription?: string },
): Promise<{ object: z.infer<S>; usage: AIUsage; finishReason: string }>;

export type AIErrorCode = "budget_exceeded" | "invalid_request" | "model_failed" | "not_configured" | "schema_mismatch" | "refused";
/** Every failure throws AIError; "budget_exceeded": this month's tokens are spent (catch it, keep working without AI). */
export declare class AIError extends Error {
  private constructor(init: never);
  readonly code: AIErrorCode; readonly status: number;
}
