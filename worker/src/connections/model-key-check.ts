// The request that proves an owner's own AI key works: each provider's model list, read-only and free. A separate
// file because the providers differ in where and how the key goes (OpenAI: a bearer token; Anthropic: x-api-key).
import { ownerModelProvider, PROVIDER_API_BASES } from "../../../connectors/ai/model-key";
import type { Env } from "../core/env";
import { upstreamOverride } from "./connector-catalog";

/** The URL and headers of the check call for `key` (the provider told apart by the key's prefix). */
export function modelKeyCheckRequest(env: Env, key: string): { url: string; headers: Headers } {
  const provider = ownerModelProvider(key) ?? "openai";
  const base = upstreamOverride(env, "AI_API_BASE") ?? PROVIDER_API_BASES[provider];
  const headers = new Headers({ accept: "application/json" });
  if (provider === "anthropic") {
    headers.set("x-api-key", key);
    headers.set("anthropic-version", "2023-06-01");
  } else headers.set("authorization", `Bearer ${key}`);
  return { url: `${base}/models`, headers };
}
