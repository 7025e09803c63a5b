import { describe, expect, it } from "vitest";
import type { NewLogEntry } from "../logs/log-store";
import { LogBatch } from "./log-batch";

const line = (message: string): NewLogEntry => ({
  appId: "app_1",
  environment: "live",
  version: "v1",
  requestId: null,
  level: "log",
  message,
});

/** Collects what would keep requests alive, so a test can wait for it as workerd would. */
function requestLife() {
  const kept: Promise<unknown>[] = [];
  return { waitUntil: (promise: Promise<unknown>) => kept.push(promise), settled: () => Promise.all(kept) };
}

describe("the runner's log batch", () => {
  it("sends the lines of many requests in one call, stamped when they were written", async () => {
    const sent: NewLogEntry[][] = [];
    const batch = new LogBatch(async (entries) => void sent.push(entries), { delayMs: 20 });
    const life = requestLife();
    for (let i = 0; i < 30; i++) batch.add([line(`request ${i}`)], life.waitUntil);
    expect(sent).toEqual([]);
    await life.settled();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.map((e) => e.message)).toEqual(Array.from({ length: 30 }, (_, i) => `request ${i}`));
    expect(sent[0]!.every((e) => typeof e.timestamp === "string")).toBe(true);
  });

  it("sends a full batch at once, and nothing for quiet requests", async () => {
    const sent: NewLogEntry[][] = [];
    const batch = new LogBatch(async (entries) => void sent.push(entries), { delayMs: 10_000, maxBatch: 5 });
    const life = requestLife();
    batch.add([], life.waitUntil);
    expect(sent).toEqual([]);
    batch.add(
      Array.from({ length: 5 }, (_, i) => line(`${i}`)),
      life.waitUntil,
    );
    await Promise.race([life.settled(), new Promise((resolve) => setTimeout(resolve, 50))]);
    expect(sent.map((b) => b.length)).toEqual([5]);
  });

  it("keeps a batch the control plane refused for the next send, up to its bound", async () => {
    let refuse = true;
    const sent: string[] = [];
    const batch = new LogBatch(
      async (entries) => {
        if (refuse) throw new Error("control plane restarting");
        sent.push(...entries.map((e) => e.message));
      },
      { delayMs: 5, maxHeld: 3 },
    );
    const life = requestLife();
    batch.add([line("a"), line("b")], life.waitUntil);
    await life.settled();
    expect(sent).toEqual([]);
    refuse = false;
    batch.add([line("c"), line("d")], life.waitUntil);
    await life.settled();
    expect(sent).toEqual(["b", "c", "d"]);
  });
});
