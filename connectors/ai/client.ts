// The AI client that runs inside an app's isolate: generateText and generateObject as the AI SDK shapes them, sent
// as one JSON call to ai.kiln with no key. The egress proxy picks the model, counts the tokens against the app's
// budget and adds the key outside the isolate; the object is validated here, against the app's own zod schema.
import type { z } from "zod";
import type * as Api from "./index";
import { AI_GENERATE_URL, type AiErrorCode, type AiWireAnswer, type AiWireRequest, type AiWireUsage } from "./wire";

/** A failed AI call: `code` says which kind (a spent budget, a broken model, an answer that misses the schema). */
export class AIError extends Error {
  override readonly name = "AIError";
  readonly code: AiErrorCode;
  readonly status: number;
  constructor(init: { code: AiErrorCode; status: number; message: string }) {
    super(init.message);
    this.code = init.code;
    this.status = init.status;
  }
}

type Prompt = Api.AIPrompt;

// Only the fields the wire knows travel: an app's extra option (e.g. `model`) must not reach the proxy as a surprise.
function wireRequest(output: AiWireRequest["output"], options: Prompt): AiWireRequest {
  const request: AiWireRequest = { output };
  if (options.system !== undefined) request.system = options.system;
  if ("prompt" in options && options.prompt !== undefined) request.prompt = options.prompt;
  if ("messages" in options && options.messages !== undefined) request.messages = options.messages;
  if (options.maxOutputTokens !== undefined) request.maxOutputTokens = options.maxOutputTokens;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  return request;
}

const CODES: readonly AiErrorCode[] = [
  "budget_exceeded",
  "invalid_request",
  "model_failed",
  "not_configured",
  "schema_mismatch",
  "refused",
];

async function send(request: AiWireRequest): Promise<AiWireAnswer> {
  let response: Response;
  try {
    response = await fetch(AI_GENERATE_URL, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    });
  } catch (error) {
    // The egress proxy's refusals (e.g. too many outbound calls) arrive as a failed fetch with a plain-words reason.
    throw new AIError({ code: "refused", status: 0, message: error instanceof Error ? error.message : String(error) });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    const code = CODES.find((c) => c === error?.code) ?? "model_failed";
    const message = typeof error?.message === "string" ? error.message : `the AI call failed (HTTP ${response.status})`;
    throw new AIError({ code, status: response.status, message });
  }
  return body as AiWireAnswer;
}

function usageOf(answer: AiWireAnswer): AiWireUsage {
  return { ...answer.usage };
}

/** Text from the model: `const { text } = await generateText({ prompt: "Summarise: …" })`. */
export async function generateText(
  options: Prompt,
): Promise<{ text: string; usage: Api.AIUsage; finishReason: string }> {
  const answer = await send(wireRequest("text", options));
  return { text: answer.text ?? "", usage: usageOf(answer), finishReason: answer.finishReason };
}

/** An object matching `schema`, checked here: an answer that misses it throws AIError "schema_mismatch". */
export async function generateObject<S extends z.ZodType>(
  options: Prompt & { schema: S; schemaName?: string; schemaDescription?: string },
): Promise<{ object: z.infer<S>; usage: Api.AIUsage; finishReason: string }> {
  const { schema, schemaName, schemaDescription } = options;
  // The schema travels as JSON Schema (zod's own conversion): the proxy and the model never run the app's code.
  const request = wireRequest("object", options);
  request.schema = schema.toJSONSchema({ target: "draft-7", io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  if (schemaName !== undefined) request.schemaName = schemaName;
  if (schemaDescription !== undefined) request.schemaDescription = schemaDescription;
  const answer = await send(request);
  const parsed = schema.safeParse(answer.object);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(the object)"}: ${issue.message}`)
      .join("; ");
    throw new AIError({
      code: "schema_mismatch",
      status: 502,
      message: `the model's answer does not match the schema (${problems})`,
    });
  }
  return { object: parsed.data, usage: usageOf(answer), finishReason: answer.finishReason };
}

// What apps import matches index.d.ts.
({ generateText, generateObject, AIError }) satisfies Pick<typeof Api, "generateText" | "generateObject" | "AIError">;
