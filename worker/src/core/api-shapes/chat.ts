// The builder chat under `/api/apps/:id`: the streamed events of a turn (`POST …/chat`, and a create that starts
// one), the conversation (`GET …/chat`) and what the model would be given (`GET …/context`).
import type { App } from "./apps";
import type { ConnectorId } from "./connections";
import type { DeployStage, Diagnostic } from "./versions";

/** Where a check failed (and which steps passed), in the order the build runs. */
export type CheckStage = DeployStage;

/** Tokens a turn sent to and got from the model. */
export interface TokenUsage {
  input: number;
  output: number;
}

/** How a turn ended. */
/** `cancelled`: the person stopped it; nothing it wrote was deployed after that. */
export type TurnStatus = "built" | "question" | "failed" | "cancelled";

/** One file a build attempt wrote, and whether it is new. */
export interface TurnFileChange {
  path: string;
  change: "created" | "changed";
  bytes: number;
}

/**
 * Progress of one chat turn, sent as server-sent events: the SSE `event` is
 * `type`, the `data` is the rest as JSON. `done` is always last.
 */
export type TurnEvent =
  | { type: "app"; app: App }
  | { type: "turn"; turnId: string; mode: "model" | "template"; model: string | null }
  | { type: "template-mode"; message: string }
  | { type: "context"; tokens: number; connectors: ConnectorId[]; template: string | null }
  | { type: "plan"; attempt: number; text: string }
  /**
   * The model's answer as it is written (live only, not stored, no SSE id): its length so far, its plan once
   * complete, and the files it has begun.
   */
  | { type: "writing"; attempt: number; characters: number; plan: string | null; files: string[] }
  /** The model read declarations of a connector's API before writing (keys it asked for; those Kiln had). */
  | { type: "lookup"; attempt: number; keys: string[]; found: string[]; unknown: string[] }
  | { type: "question"; text: string }
  | { type: "files"; attempt: number; files: TurnFileChange[]; unchanged: number }
  | { type: "step"; attempt: number; stage: CheckStage; ok: true }
  | { type: "check"; attempt: number; ok: true; steps: CheckStage[]; version: string; connectors: ConnectorId[] }
  | {
      type: "check";
      attempt: number;
      ok: false;
      stage: CheckStage;
      message: string;
      diagnostics: Diagnostic[];
      confirm?: "destructive";
    }
  | { type: "repair"; attempt: number; of: number; reason: string }
  | { type: "preview"; version: string; number: number | null; url: string; summary: string }
  /** The new version asks its owner for `items` things (`export const setup`); `missing`: labels of those not yet set. */
  | { type: "setup"; items: number; missing: string[] }
  | { type: "failed"; message: string; stillServing: string | null }
  | { type: "usage"; usage: TokenUsage }
  | { type: "done"; turnId: string; status: TurnStatus };

/** One turn of an app's conversation as `GET /api/apps/:id/chat` → `{ turns }` lists it (oldest first). */
export interface ChatTurn {
  id: string;
  mode: "model" | "template";
  model: string | null;
  message: string;
  status: TurnStatus | "running";
  plan: string | null;
  question: string | null;
  summary: string | null;
  failure: string | null;
  version: string | null;
  attempts: number;
  usage: TokenUsage;
  files: string[];
  createdAt: string;
  finishedAt: string | null;
}

/** A turn as `GET /api/apps/:id/chat` lists it: with its stored events (the newest 20 turns; older ones: none), so
 * the history shows each turn's steps and cards as they were live. */
export interface ChatTurnWithEvents extends ChatTurn {
  events: TurnEvent[];
}

/** `GET /api/apps/:id/context`: what the model would be given for a message, and its size in tokens. */
export interface ChatContext {
  tokens: number;
  tokenizer: string;
  connectors: ConnectorId[];
  template: string;
  text: string;
}
