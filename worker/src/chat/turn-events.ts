import type { CheckStage, TurnEvent } from "../core/api-shapes/chat";

// The events' shapes are the API's contract, shared with the web UI (core/api-shapes/chat.ts).

/** Where a turn reports progress (the SSE stream, or a test's array). */
export type EmitTurnEvent = (event: TurnEvent) => Promise<void>;

/**
 * deploySource's `onStagePassed` for one attempt: streams each step as it
 * passes, so a person sees the build move, and collects them for the `check` event.
 */
export function stepReporter(
  emit: EmitTurnEvent,
  attempt: number,
): { steps: CheckStage[]; onStagePassed: (stage: CheckStage) => Promise<void> } {
  const steps: CheckStage[] = [];
  return {
    steps,
    onStagePassed: async (stage) => {
      steps.push(stage);
      await emit({ type: "step", attempt, stage, ok: true });
    },
  };
}

// How often a growing answer is reported at most (a new file or the finished plan is reported at once).
const WRITING_EVERY_MS = 400;
const FILE_TAG = /<file\s+path\s*=\s*"([^"]+)"/g;
// Longer than any opening tag, so one split across two pieces is still found.
const TAG_OVERLAP = 300;

/**
 * `askModel`'s `onText` for one attempt: reports the answer as it grows (`writing` events: its length, its plan
 * once closed, the files begun), in order and without holding up the stream; `flush` waits for the last report.
 */
export function writingReporter(
  emit: EmitTurnEvent,
  attempt: number,
): { onText: (text: string) => void; flush: () => Promise<void> } {
  let pending = Promise.resolve();
  let lastAt = 0;
  let plan: string | null = null;
  const files: string[] = [];
  // Only the text added since the last call is searched (with room for a tag cut in two): a long answer streamed in
  // many small pieces is read once, not once per piece.
  let scanned = 0;
  let lastFileAt = -1;
  return {
    onText: (text) => {
      const from = Math.max(0, scanned - TAG_OVERLAP);
      scanned = text.length;
      let news = false;
      for (const match of text.slice(from).matchAll(FILE_TAG)) {
        const at = from + match.index;
        if (at <= lastFileAt) continue;
        lastFileAt = at;
        files.push(match[1]!);
        news = true;
      }
      if (plan === null && text.includes("</plan>", from)) {
        plan = /<plan>([\s\S]*?)<\/plan>/.exec(text)?.[1]?.trim() ?? null;
        news ||= plan !== null;
      }
      const now = Date.now();
      if (!news && now - lastAt < WRITING_EVERY_MS) return;
      lastAt = now;
      const event = { type: "writing" as const, attempt, characters: text.length, plan, files: [...files] };
      pending = pending.then(() => emit(event));
    },
    flush: () => pending,
  };
}
