import { type ModelMessage, streamText } from "ai";
import type { Env } from "../core/env";
import { languageModelFor } from "./language-model";
import type { ModelConfig } from "./model-config";
import type { TokenUsage } from "../core/api-shapes/chat";

/** The model could not be reached or refused the call; the message is safe to show (no key in it). */
export class ModelCallError extends Error {
  override readonly name = "ModelCallError";
}

/** What a model call may be given besides its prompt. */
export interface AskOptions {
  /** Stops the call (the person cancelled the turn). */
  signal?: AbortSignal;
  /** The answer so far, each time it grows (streamed, so a person sees the model write). */
  onText?: (text: string) => void;
}

/** One model call: the Code Mode context as the system prompt, the conversation as messages, streamed. */
export async function askModel(
  env: Env,
  config: ModelConfig,
  system: string,
  messages: ModelMessage[],
  options: AskOptions = {},
): Promise<{ text: string; usage: TokenUsage }> {
  try {
    // A streamed call's errors arrive here, not in its text; the first one fails the call.
    let failure: unknown = null;
    const result = streamText({
      model: languageModelFor(env, config),
      system,
      messages,
      maxRetries: 1,
      temperature: 0,
      abortSignal: options.signal,
      onError: ({ error }) => {
        failure ??= error;
      },
    });
    let text = "";
    for await (const delta of result.textStream) {
      text += delta;
      options.onText?.(text);
    }
    if (failure !== null) throw failure;
    const usage = await result.usage;
    return { text, usage: { input: usage.inputTokens ?? 0, output: usage.outputTokens ?? 0 } };
  } catch (error) {
    throw new ModelCallError(
      `The model (${config.provider}) could not answer: ${redact(error instanceof Error ? error.message : String(error), env)}`,
    );
  }
}

/** Usage of several calls added up. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { input: a.input + b.input, output: a.output + b.output };
}

// Provider errors sometimes echo the request; keep any key out of what the person sees.
function redact(message: string, env: Env): string {
  let out = message;
  for (const secret of [env.OPENAI_API_KEY, env.ANTHROPIC_API_KEY, env.KILN_MODEL_API_KEY]) {
    if (secret && secret.length >= 8) out = out.split(secret).join("[redacted]");
  }
  return out.slice(0, 500);
}
