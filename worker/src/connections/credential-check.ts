// The connector rule's cheap `check` call, sent with a credential to learn
// whether the service accepts it (at connect and test time).
import type { ConnectorRule } from "../../../connectors/types";
import type { Env } from "../core/env";
import { upstreamUrl } from "./connector-catalog";
import { modelKeyCheckRequest } from "./model-key-check";
import { redactSecrets } from "./redaction";

/** What the service said about a credential. */
export type CheckResult =
  | { outcome: "valid" }
  /** Authenticated, but not allowed to make the check call (e.g. a Stripe restricted key without balance access). */
  | { outcome: "limited"; message: string }
  /** The service does not accept the credential (401). */
  | { outcome: "rejected"; message: string }
  /** No answer we can judge by: network error, timeout, 429 or 5xx. */
  | { outcome: "unreachable"; message: string };

const CHECK_TIMEOUT_MS = 10_000;

/** Sends the rule's check with `token` as the rule injects it; every message is redacted of the token. */
export async function checkCredential(env: Env, rule: ConnectorRule, token: string): Promise<CheckResult> {
  const { url, headers } = rule.id === "ai" ? modelKeyCheckRequest(env, token) : ruleCheckRequest(env, rule, token);
  let response: Response;
  try {
    response = await fetch(url, {
      method: rule.check.method,
      headers,
      redirect: "manual",
      signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === "TimeoutError"
        ? "it did not answer in time"
        : "the network request failed";
    return { outcome: "unreachable", message: `Kiln could not reach ${rule.label}: ${reason}.` };
  }
  const message = redactSecrets(await upstreamErrorMessage(response), [token]);
  if (response.ok) return { outcome: "valid" };
  if (response.status === 401) return { outcome: "rejected", message };
  if (response.status === 403) return { outcome: "limited", message };
  return {
    outcome: "unreachable",
    message: `${rule.label} answered ${response.status}${message ? `: ${message}` : ""}.`,
  };
}

// The rule's own check: its host (or the fake's), the credential as the proxy injects it.
function ruleCheckRequest(env: Env, rule: ConnectorRule, token: string): { url: string; headers: Headers } {
  const headers = new Headers({ accept: "application/json", ...rule.fixedHeaders });
  headers.set(rule.inject.header, `${rule.inject.scheme} ${token}`);
  return { url: upstreamUrl(env, rule, rule.check.host, rule.check.path), headers };
}

/**
 * The human part of an upstream error body: Stripe and Google APIs use
 * `error.message`, Airtable `error.message` or `error` as a string, OAuth
 * endpoints `error_description`. Not redacted: callers redact.
 */
export async function upstreamErrorMessage(response: Response): Promise<string> {
  if (response.ok) {
    await response.body?.cancel();
    return "";
  }
  const text = (await response.text()).slice(0, 4000);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 200);
  }
  if (typeof body !== "object" || body === null) return "";
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof record.error_description === "string") return record.error_description;
  if (typeof error === "object" && error !== null && typeof (error as Record<string, unknown>).message === "string") {
    return (error as Record<string, string>).message!;
  }
  if (typeof error === "string") return error;
  const errors = record.errors;
  if (Array.isArray(errors) && typeof errors[0]?.message === "string") return errors[0].message as string;
  return "";
}
