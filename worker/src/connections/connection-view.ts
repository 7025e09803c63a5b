import type { Env } from "../core/env";
import { CONNECTOR_IDS } from "../../../connectors/types";
import { CONNECTOR_RULES } from "./connector-catalog";
import type { ConnectionRecord } from "./connection-repository";
import { demoAvailable } from "./demo-mode";
import { googleClientConfigured } from "./google-client";
import type { Connection, ConnectorOption } from "../core/api-shapes/connections";

/** A connection as the API shows it: never a secret, at most a key's last 4 characters. */
export function connectionView(connection: ConnectionRecord): Connection {
  const rule = CONNECTOR_RULES[connection.connector];
  return {
    id: connection.id,
    connector: connection.connector,
    label: rule.label,
    kind: rule.kind,
    status: connection.status,
    statusMessage: connection.statusMessage,
    demo: connection.demo,
    last4: rule.kind === "api_key" ? connection.secretLast4 : null,
    account: connection.account,
    scopes: connection.scopes ? connection.scopes.split(" ").filter(Boolean) : null,
    accessTokenExpiresAt: connection.accessExpiresAt,
    lastCheckedAt: connection.lastCheckedAt,
    createdAt: connection.createdAt,
    updatedAt: connection.updatedAt,
  };
}

/** Every connector, with whether it (and a demo of it) can be connected on this Kiln. */
export function connectorOptions(env: Env): ConnectorOption[] {
  return CONNECTOR_IDS.map((id) => {
    const rule = CONNECTOR_RULES[id];
    return {
      id,
      label: rule.label,
      kind: rule.kind,
      available: id !== "google" || googleClientConfigured(env),
      demoAvailable: demoAvailable(env, id),
    };
  });
}
