// What kiln/ai (inside the app) and the egress proxy (outside it) say to each other: one JSON request to a host only
// the proxy understands, which picks the model, counts the tokens and holds the key. Shared by both sides so the
// two cannot drift apart.

/** The pseudo-host of app AI calls: it exists only inside Kiln's egress proxy, never on the network. */
export const AI_HOST = "ai.kiln";

/** Where kiln/ai sends every call. */
export const AI_GENERATE_URL = `https://${AI_HOST}/v1/generate`;

/** One turn of a conversation, as the AI SDK's simplest `ModelMessage` (text content). */
export interface AiMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A generation the app asks for: text, or an object matching `schema` (JSON Schema made from the app's zod schema). */
export interface AiWireRequest {
  output: "text" | "object";
  system?: string;
  prompt?: string;
  messages?: AiMessage[];
  maxOutputTokens?: number;
  temperature?: number;
  schema?: Record<string, unknown>;
  schemaName?: string;
  schemaDescription?: string;
}

/** Tokens of one call, as the AI SDK's `LanguageModelUsage` names them. */
export interface AiWireUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** What the proxy answers a call that was made: the text, or the object (the app validates it against its schema). */
export interface AiWireAnswer {
  text?: string;
  object?: unknown;
  usage: AiWireUsage;
  finishReason: string;
}

/** Why a call failed, so an app can tell a spent budget from a broken model. */
export type AiErrorCode =
  | "budget_exceeded"
  | "invalid_request"
  | "model_failed"
  | "not_configured"
  | "schema_mismatch"
  | "refused";

/** The body of every refusal the proxy answers (4xx/5xx); the message is written for people and holds no key. */
export interface AiWireError {
  error: { code: AiErrorCode; message: string };
}
