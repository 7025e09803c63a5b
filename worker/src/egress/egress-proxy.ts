import { WorkerEntrypoint } from "cloudflare:workers";
import { IDEMPOTENCY_HEADER, REQUEST_ID_HEADER } from "../core/headers";
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { appendLogs } from "../logs/log-store";
import type { ConnectorId, ConnectorRule } from "../../../connectors/types";
import {
  CONNECTOR_RULES,
  ConnectionUnavailableError,
  type EgressCredential,
  credentialForOwner,
  redactSecrets,
} from "../connections";
import { rateLimitedMessage, takeConnectionCall } from "./connection-rate-limit";
import { judgeDestination } from "./destination";
import { type EgressCall, auditPath, recordEgressCall } from "./egress-audit";
import type { EgressOutcome } from "../core/api-shapes/logs";
import { UpstreamRefusedError, forwardWithCredential } from "./forward-call";
import { BLOCKED_SOCKET_MESSAGE, type EgressProps, TRIAL_VERSION } from "./egress-props";
import { MAX_SUBREQUESTS_PER_REQUEST, subrequestBudgetMessage } from "../compiler/request-limits";
import { takeSubrequest } from "./subrequest-budget";
import { type WriteIdentity, rememberWrite, replayedWrite, requestHash } from "./write-replay";
import { answerAiCall, answerTrialAiCall } from "../app-ai";

/**
 * The only way out of an app isolate (its `globalOutbound`). Deny by
 * default: only the hosts of the app's declared connectors are reached,
 * with the owner's credential added here, outside the isolate.
 */
export class EgressProxy extends WorkerEntrypoint<Env, EgressProps> {
  override fetch(request: Request): Promise<Response> {
    return handleEgress(this.env, this.ctx.props, request, (work) => this.ctx.waitUntil(work));
  }

  // Raw TCP from `connect()` arrives here (workerd does not tell us the
  // destination); no app may open sockets, so refuse and log every attempt.
  override async connect(socket: Socket): Promise<void> {
    await appendLogs(this.env.DB, [
      {
        appId: this.ctx.props.appId,
        environment: this.ctx.props.environment,
        version: this.ctx.props.version,
        requestId: null,
        level: "warn",
        message: "Blocked network access: a raw socket connection (connect()) is not allowed for this app.",
      },
    ]);
    await socket.close();
    throw new Error(BLOCKED_SOCKET_MESSAGE);
  }
}

/**
 * The egress decision for one outbound call of the app named by `props`
 * (props always come from Kiln, never from the app): only the hosts of the
 * connectors the version declared, with the owner's credential added here;
 * everything else refused. Every call is audited and refusals are logged. `waitUntil` (the entrypoint's) keeps an AI
 * call's settle running when the app's request is torn down.
 */
export async function handleEgress(
  env: Env,
  props: EgressProps,
  request: Request,
  waitUntil?: (work: Promise<unknown>) => void,
): Promise<Response> {
  const started = Date.now();
  const requestId = request.headers.get(REQUEST_ID_HEADER);
  const where = { appId: props.appId, environment: props.environment, version: props.version, requestId };
  if (!takeSubrequest(requestId)) {
    // Logged once, when the budget is first exceeded, so a flood does not flood the logs too.
    if (takeSubrequest(`${requestId}:logged`, 1)) {
      await appendLogs(env.DB, [
        {
          ...where,
          level: "error",
          message: `Stopped outbound calls: ${subrequestBudgetMessage(MAX_SUBREQUESTS_PER_REQUEST)}.`,
        },
      ]);
    }
    throw new Error(subrequestBudgetMessage(MAX_SUBREQUESTS_PER_REQUEST));
  }
  const rules = (props.connectors ?? []).map((id) => CONNECTOR_RULES[id]);
  const verdict = judgeDestination(request.url, rules);
  const shown = describeUrl(request.url);
  const audit = (fields: Pick<EgressCall, "connector" | "outcome" | "status" | "bytes">) =>
    recordEgressCall(env.DB, {
      ...where,
      method: request.method,
      host: shown.host,
      path: shown.path,
      durationMs: Date.now() - started,
      ...fields,
    });
  // Every refusal: one line in the app's logs, one audit row, and the app's fetch throws `message`.
  const refuse = async (
    level: "warn" | "error",
    logLine: string,
    outcome: EgressOutcome,
    connector: ConnectorId | null,
    message: string,
  ): Promise<never> => {
    await Promise.all([
      appendLogs(env.DB, [{ ...where, level, message: logLine }]),
      audit({ connector, outcome, status: null, bytes: 0 }),
    ]);
    throw new Error(message);
  };
  if (!verdict.allowed) {
    return refuse(
      "warn",
      `Blocked network access: ${request.method} ${shown.origin}${shown.pathname} (${verdict.reason}).`,
      "blocked",
      null,
      verdict.reason,
    );
  }
  const { rule } = verdict;
  // ai.kiln is no service on the network: Kiln answers it here (budget, model, key), and the key never travels back.
  if (rule.id === "ai") {
    if (!takeConnectionCall(`ai:${props.appId}`, "ai")) {
      const message = rateLimitedMessage(rule.label, rule.id).replace("this app's owner's AI connection", "this app");
      return refuse("warn", `AI call not sent: ${message}.`, "rate_limited", rule.id, message);
    }
    // A build's trial never spends the app's budget nor the owner's key: the demo model answers it, uncharged.
    const answered =
      props.version === TRIAL_VERSION
        ? await answerTrialAiCall(request)
        : await answerAiCall(env, { appId: props.appId, ownerId: await appOwner(env.DB, props.appId) }, request, {
            ...(waitUntil ? { waitUntil } : {}),
          });
    const bytes = (await answered.response.clone().arrayBuffer()).byteLength;
    await Promise.all([
      answered.logLine ? appendLogs(env.DB, [{ ...where, ...answered.logLine }]) : null,
      audit({ connector: rule.id, outcome: answered.outcome, status: answered.response.status, bytes }),
    ]);
    return answered.response;
  }
  const write = await replayableWrite(props, rule, request);
  if (write) {
    const replayed = await replayedWrite(env.DB, write);
    if (replayed) {
      await audit({ connector: rule.id, outcome: "replayed", status: replayed.status, bytes: 0 });
      return replayed;
    }
  }
  let credential: EgressCredential;
  try {
    credential = await credentialForOwner(env, await appOwner(env.DB, props.appId), rule.id);
  } catch (error) {
    // ApiError messages are written for people and hold no secret (e.g. "the operator must set GOOGLE_CLIENT_ID").
    const message =
      error instanceof ConnectionUnavailableError || error instanceof ApiError
        ? error.message
        : `Kiln could not read the stored ${rule.label} credential; its operator has been told`;
    if (!(error instanceof ConnectionUnavailableError))
      console.error(
        `[egress] credential lookup failed for app ${props.appId}: ${error instanceof Error ? error.name : "error"}`,
      );
    return refuse("error", `${rule.label} call not sent: ${message}.`, "not_connected", rule.id, message);
  }
  if (!takeConnectionCall(credential.connectionId, rule.id)) {
    const message = rateLimitedMessage(rule.label, rule.id);
    return refuse("warn", `${rule.label} call not sent: ${message}.`, "rate_limited", rule.id, message);
  }
  try {
    const forwarded = await forwardWithCredential(env, rule, verdict.url, request, credential);
    await audit({ connector: rule.id, outcome: "sent", status: forwarded.response.status, bytes: forwarded.bytes });
    if (write) await rememberWrite(env.DB, write, forwarded.response);
    return forwarded.response;
  } catch (error) {
    const explained =
      error instanceof UpstreamRefusedError || error instanceof ConnectionUnavailableError || error instanceof ApiError;
    const message = redactSecrets(explained ? error.message : `${rule.label} could not be reached`, [credential.token]);
    return refuse("error", `${rule.label} call failed: ${message}.`, "failed", rule.id, message);
  }
}

/**
 * A write of an automation run (the wrapper keys each one) to a service that takes no idempotency key: the proxy
 * makes a retry's repeat of it a no-op. Stripe's writes carry the run's key to Stripe instead (forward-call.ts).
 */
async function replayableWrite(
  props: EgressProps,
  rule: ConnectorRule,
  request: Request,
): Promise<WriteIdentity | null> {
  const writeKey = request.headers.get(IDEMPOTENCY_HEADER);
  if (!writeKey || rule.idempotency || request.method === "GET" || request.method === "HEAD") return null;
  const body = request.body === null ? null : await request.clone().arrayBuffer();
  return {
    appId: props.appId,
    environment: props.environment,
    writeKey,
    requestHash: await requestHash(request.method, request.url, body),
  };
}

// For logs and the audit: never the query's values, which can carry personal data.
function describeUrl(raw: string): { origin: string; pathname: string; host: string; path: string } {
  try {
    const url = new URL(raw);
    return { origin: url.origin, pathname: url.pathname, host: url.host, path: auditPath(url) };
  } catch {
    return { origin: "(invalid address)", pathname: "", host: "(invalid)", path: "" };
  }
}

// An app's owner never changes, so it is looked up once per app in this isolate.
const owners = new Map<string, string>();

async function appOwner(db: D1Database, appId: string): Promise<string> {
  const known = owners.get(appId);
  if (known) return known;
  const row = await db
    .prepare("SELECT owner_id AS ownerId FROM apps WHERE id = ?")
    .bind(appId)
    .first<{ ownerId: string }>();
  if (!row) throw new ConnectionUnavailableError("not_connected", null, "this app no longer exists");
  owners.set(appId, row.ownerId);
  return row.ownerId;
}
