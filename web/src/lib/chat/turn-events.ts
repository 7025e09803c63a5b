// The chat stream's events as the web UI reads them: the same shapes as
// worker/src/chat/turn-events.ts (the API's contract), kept here so the browser
// bundle does not import worker code.

/** A build step, in the order the build runs. */
export type CheckStage = "type-check" | "bundle" | "start" | "smoke-test" | "migration";

/** One problem the type-checker or bundler found. */
export interface TurnDiagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** One server-sent event of a chat turn; `done` is always last. */
export type TurnEvent =
  | { type: "app"; app: { id: string; name: string; slug: string; previewUrl: string; liveUrl: string } }
  | { type: "turn"; turnId: string; mode: "model" | "template"; model: string | null }
  | { type: "template-mode"; message: string }
  | { type: "context"; tokens: number; connectors: string[]; template: string | null }
  | { type: "plan"; attempt: number; text: string }
  | { type: "question"; text: string }
  | {
      type: "files";
      attempt: number;
      files: { path: string; change: "created" | "changed"; bytes: number }[];
      unchanged: number;
    }
  | { type: "step"; attempt: number; stage: CheckStage; ok: true }
  | { type: "check"; attempt: number; ok: true; steps: CheckStage[]; version: string; connectors: string[] }
  | {
      type: "check";
      attempt: number;
      ok: false;
      stage: CheckStage;
      message: string;
      diagnostics: TurnDiagnostic[];
      confirm?: "destructive";
    }
  | { type: "repair"; attempt: number; of: number; reason: string }
  | { type: "preview"; version: string; number: number | null; url: string; summary: string }
  | { type: "failed"; message: string; stillServing: string | null }
  | { type: "usage"; usage: { input: number; output: number } }
  | { type: "done"; turnId: string; status: "built" | "question" | "failed" };

/** What each build step is called on screen. */
export const STAGE_LABELS: Record<CheckStage, string> = {
  "type-check": "Type-check",
  bundle: "Bundle",
  start: "Start",
  "smoke-test": "Smoke test",
  migration: "Update preview data",
};

/** A turn as `GET /api/apps/:id/chat` lists it. */
export interface ChatTurn {
  id: string;
  mode: "model" | "template";
  model: string | null;
  message: string;
  status: "built" | "question" | "failed" | "running";
  plan: string | null;
  question: string | null;
  summary: string | null;
  failure: string | null;
  version: string | null;
  attempts: number;
  files: string[];
  createdAt: string;
  finishedAt: string | null;
}
