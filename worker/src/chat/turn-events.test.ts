// The growing answer's reports: whatever sizes the stream's pieces come in (a tag cut in two included), each file is
// named once, in order, and the plan once it is closed.
import { describe, expect, it } from "vitest";
import type { TurnEvent } from "../core/api-shapes/chat";
import { writingReporter } from "./turn-events";

const ANSWER = `<plan>A notes app with a table.</plan>
<file path="src/tables.ts">
export const tables = {};
</file>
<file path="src/index.ts">
${"// body\n".repeat(200)}</file>
<summary>Notes.</summary>`;

async function reports(pieceSize: number): Promise<Extract<TurnEvent, { type: "writing" }>[]> {
  const events: TurnEvent[] = [];
  const reporter = writingReporter(async (event) => void events.push(event), 1);
  for (let end = pieceSize; end < ANSWER.length + pieceSize; end += pieceSize) reporter.onText(ANSWER.slice(0, end));
  await reporter.flush();
  return events.filter((e): e is Extract<TurnEvent, { type: "writing" }> => e.type === "writing");
}

describe("writingReporter", () => {
  it("names each file once and the plan once closed, for pieces of any size", async () => {
    for (const size of [1, 7, 64, 5000]) {
      const seen = await reports(size);
      expect(seen.at(-1)?.files).toEqual(["src/tables.ts", "src/index.ts"]);
      expect(seen.at(-1)?.plan).toBe("A notes app with a table.");
      // Reported as they grow: never a file or the plan taken back, the length never shrinking.
      for (const [i, event] of seen.entries()) {
        const before = seen[i - 1];
        if (!before) continue;
        expect(event.files.slice(0, before.files.length)).toEqual(before.files);
        expect(event.characters).toBeGreaterThanOrEqual(before.characters);
        if (before.plan !== null) expect(event.plan).toBe(before.plan);
      }
      // Nothing before the plan closed claims a plan.
      expect(seen.find((e) => e.characters < ANSWER.indexOf("</plan>"))?.plan ?? null).toBeNull();
    }
  });
});
