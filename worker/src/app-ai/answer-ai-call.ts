// One AI call of an app, answered in the control plane (the egress proxy hands over calls to ai.kiln): checked, its
// tokens reserved against the app's monthly budget and, on the operator's shared model, its owner's monthly
// allowance (nothing is sent past either), sent to the chosen model through the AI SDK, settled to the provider's
// count (the settle outlives a caller that went away), and answered as JSON with no key in it. A build's trial is
// answered by the demo model, uncharged.
import type { AiErrorCode, AiWireAnswer, AiWireError } from "../../../connectors/ai/wire";
import { ConnectionUnavailableError, VaultUnavailableError, markKeyRejected, redactSecrets } from "../connections";
import { REDACTED } from "../connections/redaction";
import type { EgressOutcome } from "../core/api-shapes/logs";
import type { Env } from "../core/env";
import { ModelConfigError } from "../models";
import { type AiRequest, inputTexts, readAiRequest } from "./ai-request";
import { estimateInputTokens } from "./ai-estimate";
import { type AiReservation, reserveAiTokens, settleAiTokens } from "./ai-reservation";
import { type AppModel, appModelFor } from "./app-model";
import { type Answered, demoGeneration, type Generation, modelGeneration } from "./generation";
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
  /**
   * The entrypoint's `ctx.waitUntil`: the model call and its settle run to the end even when the app's request is
   * torn down (a visitor closed the tab), so its hold is released and its tokens counted at once.
   */
  waitUntil?: (work: Promise<unknown>) => void;
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
  const timeoutMs = options.timeoutMs ?? CALL_TIMEOUT_MS;
  const held = await reserveAiTokens(
    env.DB,
    {
      appId: call.appId,
      shared: sharedTokens === null ? null : { ownerId: call.ownerId, monthlyTokens: sharedTokens },
      inputTokens: estimateInputTokens(inputTexts(parsed), parsed.output),
      maxOutputTokens: parsed.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS,
      callMs: timeoutMs,
    },
    now,
  );
  if (!held.ok) return refusal(429, "budget_exceeded", held.message, "blocked", "warn");
  const work = generateAndSettle(env.DB, model, parsed, held.reservation, { timeoutMs, now });
  options.waitUntil?.(work.catch(() => undefined));
  const generated = await work;
  if ("failure" in generated) {
    const secrets = model.kind === "provider" ? model.secrets : [];
    if (generated.rejectedKey && model.kind === "provider" && model.ownerKey !== null) {
      await markKeyRejected(env, model.ownerKey.connectionId, model.ownerKey.key, OWNER_KEY_REJECTED_MESSAGE);
      return refusal(503, "not_configured", ownerKeyMessage(OWNER_KEY_REJECTED_MESSAGE), "not_connected");
    }
    return refusal(502, "model_failed", redactSecrets(generated.failure, secrets), "failed");
  }
  return answered(parsed, generated, model.kind === "provider" ? model.secrets : []);
}

/**
 * Answers an ai.kiln call of a build's trial isolate (smoke start and the app's checks) with the demo model: a build
 * never spends the app's budget, the owner's allowance or their own key, and its checks see the same answer each time.
 */
export async function answerTrialAiCall(request: Request): Promise<AiCallResult> {
  const parsed = await readAiRequest(request);
  if (typeof parsed === "string")
    return refusal(400, "invalid_request", `the AI call is malformed: ${parsed}`, "blocked");
  return answered(parsed, demoGeneration(parsed), []);
}

// The model's answer, then the hold settled to what it cost; a settle that fails leaves the hold to expire.
async function generateAndSettle(
  db: D1Database,
  model: AppModel,
  parsed: AiRequest,
  reservation: AiReservation,
  call: { timeoutMs: number; now: Date },
): Promise<Generation> {
  let generated: Generation;
  try {
    generated =
      model.kind === "demo"
        ? demoGeneration(parsed)
        : await modelGeneration(model, parsed, {
            maxOutputTokens: reservation.outputTokens,
            timeoutMs: call.timeoutMs,
          });
  } catch (error) {
    // None is expected, but a throw must not keep the tokens held.
    await settleQuietly(db, reservation, { inputTokens: 0, outputTokens: 0 }, call.now);
    throw error;
  }
  // Timed out, the provider may have billed the call in full: the reservation counts as spent.
  const spent =
    "failure" in generated && generated.unknown
      ? { inputTokens: reservation.inputTokens, outputTokens: reservation.outputTokens }
      : generated.usage;
  await settleQuietly(db, reservation, spent, call.now);
  return generated;
}

// Tried twice; the answer is not withheld for it (the tokens were spent either way), and the hold expires by itself.
async function settleQuietly(
  db: D1Database,
  reservation: AiReservation,
  spent: { inputTokens: number; outputTokens: number },
  now: Date,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await settleAiTokens(db, reservation, spent, now);
    } catch (error) {
      if (attempt >= 2) {
        console.error(
          `[app-ai] settling AI tokens of app ${reservation.appId} failed: ${error instanceof Error ? error.message : "error"}`,
        );
        return;
      }
    }
  }
}

// A model's answer as the wire's JSON, scrubbed of the model's keys.
function answered(parsed: AiRequest, generated: Answered, secrets: readonly string[]): AiCallResult {
  const answer: AiWireAnswer = {
    ...(parsed.output === "text" ? { text: generated.text } : { object: generated.object }),
    usage: {
      inputTokens: generated.usage.inputTokens,
      outputTokens: generated.usage.outputTokens,
      totalTokens: generated.usage.inputTokens + generated.usage.outputTokens,
    },
    finishReason: generated.finishReason,
  };
  // A model can be talked into repeating its request; its key is never in that request, but be certain. (Not
  // redactSecrets: it cuts to an error message's length, which would break a long answer's JSON.)
  let body = JSON.stringify(answer);
  for (const secret of secrets) if (secret.length >= 6) body = body.split(secret).join(REDACTED);
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
