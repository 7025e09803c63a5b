// One AI call of an app, answered in the control plane (the egress proxy hands over calls to ai.kiln): checked, its
// tokens reserved against the app's monthly budget and, on the operator's shared model, its owner's monthly
// allowance (nothing is sent past either), sent to the chosen model through the AI SDK, settled to the provider's
// count, and answered as JSON with no key in it.
import type { AiErrorCode, AiWireAnswer, AiWireError } from "../../../connectors/ai/wire";
import { ConnectionUnavailableError, VaultUnavailableError, markKeyRejected, redactSecrets } from "../connections";
import type { EgressOutcome } from "../core/api-shapes/logs";
import type { Env } from "../core/env";
import { ModelConfigError } from "../models";
import { inputTexts, readAiRequest } from "./ai-request";
import { estimateInputTokens, reserveAiTokens, settleAiTokens } from "./ai-reservation";
import { type AppModel, appModelFor } from "./app-model";
import { demoGeneration, type Generation, modelGeneration } from "./generation";
import { ownerMonthlyTokens, sharedModelOffMessage } from "./owner-allowance";

/** What the egress proxy does with an answered call: hand `response` back, audit `outcome`, log `logLine` if any. */
export interface AiCallResult {
  response: Response;
  outcome: EgressOutcome;
  logLine: { level: "warn" | "error"; message: string } | null;
}

/** When a call runs; `timeoutMs` lets tests make a slow model time out without waiting a minute. */
export interface AiCallOptions {
  now?: Date;
  timeoutMs?: number;
}

// Without a limit from the app, an answer stays short: apps classify and summarise.
const DEFAULT_MAX_OUTPUT_TOKENS = 1024;
const CALL_TIMEOUT_MS = 60_000;

/** The AI connection's status once the provider stops accepting the owner's own key: what the owner must do. */
export const OWNER_KEY_REJECTED_MESSAGE =
  "The AI provider (OpenAI or Anthropic) no longer accepts the stored AI key — connect AI again with a new key on Kiln's Connections page, or disconnect it to use Kiln's shared model.";

/** Answers one `POST https://ai.kiln/v1/generate` of app `appId` (owned by `ownerId`). Never throws for the app's mistakes. */
export async function answerAiCall(
  env: Env,
  call: { appId: string; ownerId: string },
  request: Request,
  options: AiCallOptions = {},
): Promise<AiCallResult> {
  const now = options.now ?? new Date();
  const parsed = await readAiRequest(request);
  if (typeof parsed === "string")
    return refusal(400, "invalid_request", `the AI call is malformed: ${parsed}`, "blocked");
  let model: AppModel;
  let sharedTokens: number | null = null;
  try {
    model = await appModelFor(env, call.ownerId);
    // The operator's model is shared by every owner without a key of their own: each gets a monthly allowance.
    if (model.kind === "provider" && model.ownerKey === null) sharedTokens = ownerMonthlyTokens(env);
  } catch (error) {
    return refusal(503, "not_configured", modelLookupMessage(error, call.appId), "not_connected");
  }
  if (sharedTokens === 0) return refusal(503, "not_configured", sharedModelOffMessage(), "not_connected", "warn");
  const held = await reserveAiTokens(
    env.DB,
    {
      appId: call.appId,
      shared: sharedTokens === null ? null : { ownerId: call.ownerId, monthlyTokens: sharedTokens },
      inputTokens: estimateInputTokens(inputTexts(parsed)),
      maxOutputTokens: parsed.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
    },
    now,
  );
  if (!held.ok) return refusal(429, "budget_exceeded", held.message, "blocked", "warn");
  const { reservation } = held;
  let generated: Generation;
  try {
    generated =
      model.kind === "demo"
        ? demoGeneration(parsed)
        : await modelGeneration(model, parsed, {
            maxOutputTokens: reservation.outputTokens,
            timeoutMs: options.timeoutMs ?? CALL_TIMEOUT_MS,
          });
  } catch (error) {
    // None is expected, but a throw must not keep the tokens held for the rest of the month.
    await settleAiTokens(env.DB, reservation, { inputTokens: 0, outputTokens: 0 }, now);
    throw error;
  }
  // Timed out, the provider may have billed the call in full: the reservation counts as spent.
  const spent =
    "failure" in generated && generated.unknown
      ? { inputTokens: reservation.inputTokens, outputTokens: reservation.outputTokens }
      : generated.usage;
  await settleAiTokens(env.DB, reservation, spent, now);
  if ("failure" in generated) {
    const secrets = model.kind === "provider" ? model.secrets : [];
    if (generated.rejectedKey && model.kind === "provider" && model.ownerKey !== null) {
      await markKeyRejected(env, model.ownerKey.connectionId, model.ownerKey.key, OWNER_KEY_REJECTED_MESSAGE);
      return refusal(503, "not_configured", ownerKeyMessage(OWNER_KEY_REJECTED_MESSAGE), "not_connected");
    }
    return refusal(502, "model_failed", redactSecrets(generated.failure, secrets), "failed");
  }
  const answer: AiWireAnswer = {
    ...(parsed.output === "text" ? { text: generated.text } : { object: generated.object }),
    usage: {
      inputTokens: generated.usage.inputTokens,
      outputTokens: generated.usage.outputTokens,
      totalTokens: generated.usage.inputTokens + generated.usage.outputTokens,
    },
    finishReason: generated.finishReason,
  };
  let body = JSON.stringify(answer);
  // A model can be talked into repeating its request; its key is never in that request, but be certain.
  if (model.kind === "provider") body = redactSecrets(body, model.secrets);
  return {
    response: new Response(body, { status: 200, headers: { "content-type": "application/json" } }),
    outcome: "sent",
    logLine: null,
  };
}

// Why no model could be picked, in words the app's owner (or, for Kiln's own settings, its operator) can act on.
function modelLookupMessage(error: unknown, appId: string): string {
  if (error instanceof ModelConfigError)
    return `Kiln's model is not set up correctly (${error.message}); tell the operator`;
  // The owner's AI connection needs reconnecting: its status message says what to do.
  if (error instanceof ConnectionUnavailableError) return ownerKeyMessage(error.message);
  console.error(`[app-ai] model lookup failed for app ${appId}: ${error instanceof Error ? error.name : "error"}`);
  if (error instanceof VaultUnavailableError)
    return "Kiln cannot open its credential vault, so the AI key this app's owner connected cannot be read; the operator must fix Kiln's master key (see Kiln's logs)";
  return "Kiln could not read the AI key this app's owner connected: the owner should connect AI again with the key on Kiln's Connections page, or disconnect it to use Kiln's shared model";
}

// The owner's AI connection's status message, as the app hears it.
function ownerKeyMessage(status: string): string {
  return `the AI key this app's owner connected cannot be used: ${status.charAt(0).toLowerCase()}${status.slice(1).replace(/\.$/, "")}`;
}

function refusal(
  status: number,
  code: AiErrorCode,
  message: string,
  outcome: EgressOutcome,
  level: "warn" | "error" = "error",
): AiCallResult {
  const body: AiWireError = { error: { code, message } };
  return {
    response: new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } }),
    outcome,
    logLine: { level, message: `AI call not answered: ${message}.` },
  };
}
