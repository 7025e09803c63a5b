import type { Env } from "../core/env";

/** The model providers Kiln can talk to through the AI SDK. */
export type ModelProvider = "openai" | "anthropic" | "openai-compatible" | "workers-ai";

/** Which model writes apps, read from the Worker's configuration. */
export interface ModelConfig {
  provider: ModelProvider;
  model: string;
  /** Required for "openai-compatible" (e.g. http://127.0.0.1:11434/v1); optional override for openai/anthropic. */
  baseUrl?: string;
}

/** Configuration that names a provider Kiln cannot use, in words the operator can act on. */
export class ModelConfigError extends Error {
  override readonly name = "ModelConfigError";
}

const providers: readonly ModelProvider[] = ["openai", "anthropic", "openai-compatible", "workers-ai"];
const defaultModels: Record<Exclude<ModelProvider, "openai-compatible">, string> = {
  openai: "gpt-4.1",
  anthropic: "claude-sonnet-4-5",
  "workers-ai": "@cf/qwen/qwen2.5-coder-32b-instruct",
};

/**
 * The configured model, or null when none is configured: Kiln then runs in
 * template mode. A provider is implied by its key when KILN_MODEL_PROVIDER is unset.
 */
export function modelConfigFrom(env: Env): ModelConfig | null {
  const named = env.KILN_MODEL_PROVIDER?.trim();
  const provider = named ? parseProvider(named) : impliedProvider(env);
  if (provider === null) return null;
  const baseUrl = env.KILN_MODEL_BASE_URL?.trim() || undefined;
  const model = env.KILN_MODEL?.trim() || (provider === "openai-compatible" ? undefined : defaultModels[provider]);
  if (!model)
    throw new ModelConfigError(
      "KILN_MODEL_PROVIDER is openai-compatible but KILN_MODEL (the model name the server knows) is not set.",
    );
  if (provider === "openai-compatible" && !baseUrl)
    throw new ModelConfigError(
      "KILN_MODEL_PROVIDER is openai-compatible but KILN_MODEL_BASE_URL (e.g. http://127.0.0.1:11434/v1) is not set.",
    );
  if (provider === "workers-ai" && !env.AI)
    throw new ModelConfigError(
      "KILN_MODEL_PROVIDER is workers-ai but this Worker has no AI binding: only the deployed one has it (wrangler.jsonc, env.production).",
    );
  return { provider, model, ...(baseUrl ? { baseUrl } : {}) };
}

/** A short name for the stream and the history, e.g. `openai-compatible:qwen2.5-coder`. */
export function describeModel(config: ModelConfig): string {
  return `${config.provider}:${config.model}`;
}

function parseProvider(value: string): ModelProvider {
  const found = providers.find((p) => p === value);
  if (!found) throw new ModelConfigError(`KILN_MODEL_PROVIDER is "${value}"; use one of ${providers.join(", ")}.`);
  return found;
}

function impliedProvider(env: Env): ModelProvider | null {
  if (env.KILN_MODEL_BASE_URL?.trim()) return "openai-compatible";
  if (env.OPENAI_API_KEY?.trim()) return "openai";
  if (env.ANTHROPIC_API_KEY?.trim()) return "anthropic";
  return null;
}
