import type { ConnectorRule } from "../types";

/**
 * Airtable: one API host for records, comments and the schema (bases, tables,
 * fields); the owner's personal access token (or OAuth token) goes in as a
 * bearer token. `whoami` is the cheapest call any valid token may make.
 * No `idempotency`: Airtable has no idempotency key, so the proxy answers a
 * retried run's repeated writes itself (egress/write-replay.ts) and the client
 * offers forms that are safe to repeat (upsert, ensure; see README.md).
 */
export const airtableRule: ConnectorRule = {
  id: "airtable",
  label: "Airtable",
  kind: "api_key",
  hosts: ["api.airtable.com"],
  upstreamVar: "AIRTABLE_API_BASE",
  inject: { header: "authorization", scheme: "Bearer" },
  check: { method: "GET", host: "api.airtable.com", path: "/v0/meta/whoami" },
};
