// Which model answers an app's AI call: the owner's own key (their AI connection), else the model the operator
// configured for Kiln, else the deterministic demo model. Keys stay here, in the control plane: they go only into
// the provider's request headers, and each answer's text is scrubbed of them.
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import type { LanguageModel } from "ai";
import { OWNER_MODELS, ownerModelProvider } from "../../../connectors/ai/model-key";
import { ConnectionUnavailableError, type EgressCredential, credentialForOwner } from "../connections";
import { upstreamOverride } from "../connections/connector-catalog";
import type { Env } from "../core/env";
import { describeModel, languageModelFor, modelConfigFrom } from "../models";

/**
 * The model of one call, with the secrets that must never appear in what the app or its logs see. `ownerKey`: the
 * owner's own connection (its 401 marks it needs_reconnect); null: the operator's model, shared by every owner.
 */
export type AppModel =
  | { kind: "demo" }
  | {
      kind: "provider";
      model: LanguageModel;
      label: string;
      secrets: readonly string[];
      ownerKey: { connectionId: string; key: string } | null;
    };

/**
 * The model for an app of `ownerId`. Throws ModelConfigError when the operator's configuration is broken (the
 * message names the setting), ConnectionUnavailableError when the owner's key needs reconnecting (the message says
 * so), VaultUnavailableError or another error when the owner's key cannot be read.
 */
export async function appModelFor(env: Env, ownerId: string): Promise<AppModel> {
  const credential = await ownerKey(env, ownerId);
  if (credential !== null) {
    const own = credential.token;
    const provider = ownerModelProvider(own) ?? "openai";
    // AI_API_BASE (tests) replaces the provider's address, never the key's destination rules: it is the operator's.
    const baseURL = upstreamOverride(env, "AI_API_BASE") ?? undefined;
    const model =
      provider === "anthropic"
        ? createAnthropic({ apiKey: own, ...(baseURL ? { baseURL } : {}) })(OWNER_MODELS.anthropic)
        : createOpenAI({ apiKey: own, ...(baseURL ? { baseURL } : {}) }).chat(OWNER_MODELS.openai);
    return {
      kind: "provider",
      model,
      label: `${provider}:${OWNER_MODELS[provider]} (owner's key)`,
      secrets: [own],
      ownerKey: { connectionId: credential.connectionId, key: own },
    };
  }
  const config = modelConfigFrom(env);
  if (config === null) return { kind: "demo" };
  return {
    kind: "provider",
    model: languageModelFor(env, config),
    label: describeModel(config),
    secrets: [env.OPENAI_API_KEY, env.ANTHROPIC_API_KEY, env.KILN_MODEL_API_KEY].filter(
      (secret): secret is string => typeof secret === "string" && secret.length > 0,
    ),
    ownerKey: null,
  };
}

// The owner's AI connection, or null when they have none (not an error: the operator's model answers). One that
// needs reconnecting throws: the owner chose their own key, so the shared model does not silently stand in.
async function ownerKey(env: Env, ownerId: string): Promise<EgressCredential | null> {
  try {
    return await credentialForOwner(env, ownerId, "ai");
  } catch (error) {
    if (error instanceof ConnectionUnavailableError && error.reason === "not_connected") return null;
    throw error;
  }
}
