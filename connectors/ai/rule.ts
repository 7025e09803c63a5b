// What the egress proxy and the connections API know about AI in apps.
import type { ConnectorRule } from "../types";
import { AI_HOST } from "./wire";

/**
 * AI: apps call the pseudo-host ai.kiln, which the egress proxy answers itself (worker/src/app-ai) with the
 * owner's own provider key (this connection), else the operator's model, else the deterministic demo model.
 * The connection's key goes only to the provider (OpenAI or Anthropic, told apart by the key); AI_API_BASE
 * points owner-key calls at a fake (tests). The check lists models: read-only, free, any valid key may.
 */
export const aiRule: ConnectorRule = {
  id: "ai",
  label: "AI",
  kind: "api_key",
  hosts: [AI_HOST],
  upstreamVar: "AI_API_BASE",
  inject: { header: "authorization", scheme: "Bearer" },
  check: { method: "GET", host: "api.openai.com", path: "/v1/models" },
};
