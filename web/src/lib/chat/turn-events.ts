// What the chat's build steps are called on screen. The chat stream's events themselves (`TurnEvent`, `ChatTurn`)
// are the API's own types: import them from `$shapes` (worker/src/core/api-shapes/chat.ts).
import type { DeployStage } from "$shapes";

/** What each build step is called on screen; a step the API adds without a label here fails to compile. */
export const STAGE_LABELS: Record<DeployStage, string> = {
  files: "Check files",
  "type-check": "Type-check",
  bundle: "Bundle",
  start: "Start",
  "smoke-test": "Smoke test",
  checks: "App checks",
  migration: "Update preview data",
};
