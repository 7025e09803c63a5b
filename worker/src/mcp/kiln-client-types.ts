// The result types of the typed Kiln client, as snippets see them: a reader's cut of `core/api-shapes` (what an agent
// needs to act on), one declaration per search entry. kiln-client.test.ts builds a snippet against them.

/** One declaration the client's module holds and `search` can return: its name and its TypeScript text. */
export interface ClientType {
  name: string;
  text: string;
}

/** The client's types, each with its doc comment; operation signatures refer to them by name. */
export const KILN_CLIENT_TYPES: readonly ClientType[] = [
  { name: "Json", text: "type Json = string | number | boolean | null | Json[] | { [key: string]: Json };" },
  {
    name: "Env",
    text: '/** The preview (a draft only its owner sees by default) or the live app. */\ntype Env = "preview" | "live";',
  },
  {
    name: "App",
    text: "interface App { id: string; name: string; slug: string; previewUrl: string; liveUrl: string; previewVersion: string | null; liveVersion: string | null; createdAt: string }",
  },
  {
    name: "ListedApp",
    text: "interface ListedApp extends App { problems: { failingAutomations: string[]; pausedVersions: string[]; reconnect: string[] } }",
  },
  {
    name: "Diagnostic",
    text: "/** One problem in the code, 1-based; fix it and write the files again. */\ninterface Diagnostic { file: string; line: number; column: number; message: string }",
  },
  {
    name: "Deployed",
    text: "/** source.write passed every step: `version` now serves the preview. */\ninterface Deployed { ok: true; version: string; number: number | null; previewUrl: string; warnings: string[]; connectors: string[] }",
  },
  {
    name: "BuildFailure",
    text: '/** source.write refused the code at `stage`; nothing changed. code "destructive_change": write again with confirmDestructive to drop `changes`. */\ninterface BuildFailure { ok: false; code: string; stage: string | null; message: string; diagnostics: Diagnostic[]; changes?: { description: string }[] }',
  },
  {
    name: "LastBuild",
    text: 'interface LastBuild { status: "ok" | "failed" | "needs_confirmation"; stage: string | null; message: string | null; diagnostics: Diagnostic[]; version: string | null; previewVersion: string | null; builtAt: string }',
  },
  {
    name: "Version",
    text: "interface Version { version: string; number: number; createdAt: string; summary: string | null; preview: boolean; live: boolean; connectors: string[]; permissions: { hosts: string[] } }",
  },
  {
    name: "PublishPlan",
    text: "interface PublishPlan { version: string; number: number; live: { version: string; number: number } | null; firstPublish: boolean; schema: { additive: string[]; destructive: string[]; blocked: string[] }; hosts: { added: string[]; removed: string[] }; automations: { added: string[]; removed: string[] }; setupMissing: string[]; rows: { preview: number; live: number }; canCopyPreviewData: boolean }",
  },
  {
    name: "Setup",
    text: "/** What the app's `setup` declares; `missing`: labels of required values not given (publishing waits). */\ninterface Setup { items: { item: { key: string; label: string; type: string; optional: boolean }; set: boolean; values: Record<string, string | null> }[]; missing: string[] }",
  },
  {
    name: "Table",
    text: "interface Table { name: string; rowCount: number; columns: { name: string; type: string; optional: boolean }[] }",
  },
  {
    name: "Row",
    text: "/** A row: Kiln adds id, created_at and updated_at. */\ntype Row = { id: number; created_at: string; updated_at: string } & Record<string, Json>;",
  },
  {
    name: "Automation",
    text: 'interface Automation { name: string; cron: string | null; timezone: string; webhook: boolean; schedule?: string | null; nextFireTimes: string[]; status?: "ok" | "failing" | "inactive"; lastError?: string | null; webhookUrl?: string | null }',
  },
  {
    name: "RunStatus",
    text: 'type RunStatus = "queued" | "running" | "retrying" | "succeeded" | "failed" | "skipped";',
  },
  {
    name: "Run",
    text: 'interface Run { id: string; appId: string; environment: Env; automation: string; trigger: "cron" | "webhook" | "manual"; status: RunStatus; attempt: number; maxAttempts: number; input: Json; output: Json; error: string | null; createdAt: string; endedAt: string | null }',
  },
  {
    name: "RunAttempt",
    text: 'interface RunAttempt { attempt: number; requestId: string; version: string; status: "running" | "succeeded" | "failed"; error: string | null; startedAt: string; endedAt: string | null }',
  },
  {
    name: "LogLine",
    text: 'interface LogLine { id: number; timestamp: string; level: "debug" | "info" | "log" | "warn" | "error"; message: string; requestId: string | null; environment: Env; version: string | null }',
  },
  {
    name: "OutboundCall",
    text: "interface OutboundCall { connector: string | null; method: string; host: string; path: string; outcome: string; status: number | null; durationMs: number; createdAt: string }",
  },
  {
    name: "AccessOverview",
    text: "/** setBy: who chose the rule: the owner, the published code (`access`), or Kiln's default. */\ninterface AccessOverview { preview: { rule: string; domains: string[]; setBy: string }; live: { rule: string; domains: string[]; setBy: string }; visitors: { email: string; roles: string[]; invitedAt: string }[]; roles: string[] }",
  },
  {
    name: "KilnError",
    text: "/** What a refused call throws: `code` and `status` as the API answered, `message` in words. */\ninterface KilnError extends Error { code: string; status: number }",
  },
];
