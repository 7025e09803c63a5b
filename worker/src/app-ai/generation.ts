// One generation for an app's call, by the chosen model through the AI SDK or by the demo model, with what it cost:
// the provider's own token count, or, when the outcome is unknown (a timeout), that the call may have been billed.
import { APICallError, generateObject, generateText, jsonSchema, type LanguageModelUsage, type ModelMessage } from "ai";
import type { AiRequest } from "./ai-request";
import type { AppModel } from "./app-model";
import { demoObject, demoSubject, demoText, demoTokens } from "./demo-answers";

/** Tokens of one call, as the provider counted them. */
export interface Tokens {
  inputTokens: number;
  outputTokens: number;
}

/**
 * What a generation produced. A failure's `usage` is what the provider reported (tokens it billed); `unknown`: the
 * call was cut off before an answer (timeout), so it may have been billed in full; `rejectedKey`: the provider
 * answered 401 to the key.
 */
export type Generation =
  | { text: string; object: unknown; usage: Tokens; finishReason: string }
  | { failure: string; usage: Tokens; unknown: boolean; rejectedKey: boolean };

/** A generation that answered. */
export type Answered = Extract<Generation, { text: string }>;

/** The deterministic answer of the demo model (no model configured): free, the same every time. */
export function demoGeneration(request: AiRequest): Answered {
  const answerText = demoText(request);
  const object = request.output === "object" ? demoObject(request.schema, demoSubject(request)) : null;
  const asked = [request.system ?? "", request.prompt ?? "", ...(request.messages ?? []).map((m) => m.content)].join(
    "\n",
  );
  const said = request.output === "object" ? JSON.stringify(object) : answerText;
  return {
    text: answerText,
    object,
    usage: { inputTokens: demoTokens(asked), outputTokens: demoTokens(said) },
    finishReason: "stop",
  };
}

/** Asks `model` for at most `maxOutputTokens`, giving up after `timeoutMs`. Never throws. */
export async function modelGeneration(
  model: Extract<AppModel, { kind: "provider" }>,
  request: AiRequest,
  limits: { maxOutputTokens: number; timeoutMs: number },
): Promise<Generation> {
  const messages: ModelMessage[] | undefined = request.messages?.map((m) => ({ role: m.role, content: m.content }));
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const common = {
    model: model.model,
    ...(request.system !== undefined ? { instructions: request.system } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    maxOutputTokens: limits.maxOutputTokens,
    maxRetries: 1,
    allowSystemInMessages: true,
    abortSignal: deadline,
  };
  const prompt = messages ? { messages } : { prompt: request.prompt ?? "" };
  try {
    if (request.output === "text") {
      const result = await generateText({ ...common, ...prompt });
      return { text: result.text, object: null, usage: tokensOf(result.usage), finishReason: result.finishReason };
    }
    const result = await generateObject({
      ...common,
      ...prompt,
      schema: jsonSchema(request.schema ?? {}),
      ...(request.schemaName !== undefined ? { schemaName: request.schemaName } : {}),
      ...(request.schemaDescription !== undefined ? { schemaDescription: request.schemaDescription } : {}),
    });
    return { text: "", object: result.object, usage: tokensOf(result.usage), finishReason: result.finishReason };
  } catch (error) {
    // A model that answered but not with JSON still used tokens: they count.
    const usage = (error as { usage?: LanguageModelUsage }).usage;
    const notJson = error instanceof Error && error.name === "AI_NoObjectGeneratedError";
    const timedOut = deadline.aborted;
    const message = timedOut
      ? `the model (${model.label}) did not answer within ${Math.round(limits.timeoutMs / 1000)} s`
      : notJson
        ? "the model did not answer with a JSON object for the schema"
        : `the model (${model.label}) could not answer: ${error instanceof Error ? error.message : String(error)}`;
    return {
      failure: message.slice(0, 500),
      usage: usage ? tokensOf(usage) : { inputTokens: 0, outputTokens: 0 },
      unknown: timedOut,
      rejectedKey: statusOf(error) === 401,
    };
  }
}

function tokensOf(usage: LanguageModelUsage): Tokens {
  return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}

// The provider's HTTP status, also when the AI SDK wrapped the error (a retry's last error).
function statusOf(error: unknown): number | null {
  if (APICallError.isInstance(error)) return error.statusCode ?? null;
  const last = (error as { lastError?: unknown } | null)?.lastError;
  return last !== undefined && APICallError.isInstance(last) ? (last.statusCode ?? null) : null;
}
