import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import type { Env } from "../core/env";
import { type ModelConfig, ModelConfigError } from "./model-config";

/**
 * The AI SDK model for a configuration. Keys come from Worker secrets and go
 * only into the provider's Authorization header: never into a prompt, a log or an answer.
 */
export function languageModelFor(env: Env, config: ModelConfig): LanguageModel {
  switch (config.provider) {
    case "openai": {
      const apiKey = env.OPENAI_API_KEY ?? env.KILN_MODEL_API_KEY;
      if (!apiKey)
        throw new ModelConfigError(
          "The openai provider needs the OPENAI_API_KEY secret (wrangler secret put OPENAI_API_KEY).",
        );
      return createOpenAI({ apiKey, ...(config.baseUrl ? { baseURL: config.baseUrl } : {}) }).chat(config.model);
    }
    case "anthropic": {
      const apiKey = env.ANTHROPIC_API_KEY ?? env.KILN_MODEL_API_KEY;
      if (!apiKey)
        throw new ModelConfigError(
          "The anthropic provider needs the ANTHROPIC_API_KEY secret (wrangler secret put ANTHROPIC_API_KEY).",
        );
      return createAnthropic({ apiKey, ...(config.baseUrl ? { baseURL: config.baseUrl } : {}) })(config.model);
    }
    case "openai-compatible": {
      if (!config.baseUrl) throw new ModelConfigError("KILN_MODEL_BASE_URL is not set.");
      const apiKey = env.KILN_MODEL_API_KEY;
      return createOpenAICompatible({
        name: "kiln-model",
        baseURL: config.baseUrl,
        ...(apiKey ? { apiKey } : {}),
        includeUsage: true,
        // Apps' generateObject (kiln/ai) sends its JSON Schema as response_format; the builder's calls send none.
        supportsStructuredOutputs: true,
      }).chatModel(config.model);
    }
    case "workers-ai": {
      if (!env.AI) throw new ModelConfigError("The workers-ai provider needs the AI binding.");
      return createWorkersAI({ binding: env.AI })(config.model);
    }
  }
}
