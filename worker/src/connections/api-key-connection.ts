// Connecting Stripe or Airtable: the pasted key is checked with a real call
// (the rule's `check`) and stored only if the service accepts it.
import type { CurrentUser } from "../core/records";
import { recordAudit } from "../audit/audit-log";
import type { Env } from "../core/env";
import { ApiError } from "../core/errors";
import { CONNECTOR_RULES } from "./connector-catalog";
import {
  type ConnectionRecord,
  findConnectionFor,
  findOwnedConnection,
  newConnectionId,
  upsertConnectionStatement,
} from "./connection-repository";
import { connectionKeyring, storeCredentialStatement } from "./connection-secrets";
import { checkCredential } from "./credential-check";
import { type ApiKeyConnectorId, apiKeyProblem } from "./key-format";
import { lastFour } from "./redaction";

/** The service refused the credential; nothing was stored. */
export class CredentialRejectedError extends ApiError {
  constructor(label: string, upstreamMessage: string, advice: string) {
    super(
      400,
      "bad_request",
      `${label} did not accept this key${upstreamMessage ? ` (${label} said: ${upstreamMessage})` : ""}. ${advice}`,
      {
        reason: "credential_rejected",
      },
    );
  }
}

/** A stored connection, and what the owner should know about it. */
export interface ConnectResult {
  connection: ConnectionRecord;
  created: boolean;
  /** Set when the key works but may be limited (e.g. a restricted Stripe key without the check's permission). */
  warning: string | null;
}

const ADVICE: Record<ApiKeyConnectorId, string> = {
  stripe: "Copy the secret key (sk_…) or a restricted key (rk_…) again from Stripe Dashboard → Developers → API keys.",
  airtable: "Create a personal access token at https://airtable.com/create/tokens and paste it whole.",
  ai: "Create an API key at platform.openai.com/api-keys (OpenAI) or console.anthropic.com (Anthropic) and paste it whole.",
};

/** Keys a service may refuse for one account per hour before Kiln stops checking more. */
export const MAX_REJECTED_KEYS_PER_HOUR = 10;

async function recentRejections(db: D1Database, userId: string): Promise<number> {
  const since = new Date(Date.now() - 60 * 60_000).toISOString();
  const row = await db
    .prepare(
      "SELECT COUNT(*) AS n FROM audit_events WHERE user_id = ? AND action = 'connection.rejected' AND created_at > ?",
    )
    .bind(userId, since)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Validates `key` with the service and stores it as the owner's connection to `connector`. */
export async function connectApiKey(
  env: Env,
  owner: CurrentUser,
  connector: ApiKeyConnectorId,
  key: string,
  demo: boolean,
): Promise<ConnectResult> {
  const rule = CONNECTOR_RULES[connector];
  const problem = apiKeyProblem(connector, key);
  if (problem) throw new ApiError(400, "bad_request", problem, { reason: "credential_rejected" });
  // A broken vault fails before the key travels anywhere.
  const keyring = await connectionKeyring(env);
  // Without a cap, an account could use Kiln to find out which stolen keys still work.
  if ((await recentRejections(env.DB, owner.id)) >= MAX_REJECTED_KEYS_PER_HOUR) {
    throw new ApiError(
      429,
      "too_many_requests",
      `${MAX_REJECTED_KEYS_PER_HOUR} keys were refused for this account in the last hour. Wait an hour, then paste the key again.`,
    );
  }

  const check = await checkCredential(env, rule, key);
  if (check.outcome === "rejected") {
    await recordAudit(env.DB, { userId: owner.id, action: "connection.rejected", detail: { connector } });
    throw new CredentialRejectedError(rule.label, check.message, ADVICE[connector]);
  }
  if (check.outcome === "unreachable") {
    throw new ApiError(
      502,
      "upstream_failed",
      `Kiln could not check the key with ${rule.label}, so nothing was saved. ${check.message} Try again in a moment.`,
    );
  }
  const warning =
    check.outcome === "limited"
      ? `${rule.label} accepted the key, but it may not make every call apps need (${rule.label} said: ${check.message}). Calls it lacks permission for will fail.`
      : null;

  const existing = await findConnectionFor(env.DB, owner.id, connector);
  const id = existing?.id ?? newConnectionId();
  try {
    await env.DB.batch([
      await storeCredentialStatement(env, keyring, owner.id, id, { kind: "api_key", key }),
      upsertConnectionStatement(env.DB, id, owner.id, connector, {
        demo,
        secretLast4: lastFour(key),
        account: null,
        scopes: null,
        accessExpiresAt: null,
      }),
    ]);
  } catch (error) {
    if (error instanceof Error && /UNIQUE constraint failed/.test(error.message)) {
      throw new ApiError(409, "conflict", `Another ${rule.label} connection was saved at the same moment. Try again.`);
    }
    throw error;
  }
  const connection = (await findOwnedConnection(env.DB, owner.id, id))!;
  await recordAudit(env.DB, {
    userId: owner.id,
    action: "connection.connect",
    detail: { connectionId: id, connector, demo, replaced: existing !== null },
  });
  return { connection, created: existing === null, warning };
}
