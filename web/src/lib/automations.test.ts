import { describe, expect, test } from "vitest";
import type { AutomationDeclarationView, AutomationView } from "$shapes";
import {
  automationEntries,
  formatDuration,
  formatInZone,
  isRunActive,
  parseRunInput,
  relativeTime,
  runDuration,
} from "./automations";

describe("automation helpers", () => {
  test("fire times read on the automation's own wall clock", () => {
    // 07:00 UTC in June is 09:00 in Berlin (summer time) and 03:00 in New York.
    expect(formatInZone("2026-06-01T07:00:00.000Z", "Europe/Berlin")).toBe("Mon 1 Jun, 09:00");
    expect(formatInZone("2026-06-01T07:00:00.000Z", "America/New_York")).toBe("Mon 1 Jun, 03:00");
    expect(formatInZone("2026-06-01T07:00:00.000Z", "Not/A_Zone")).toBe("Mon 1 Jun, 07:00 UTC");
  });

  test("relative times round down and say which way", () => {
    const now = Date.parse("2026-06-01T06:00:00.000Z");
    expect(relativeTime("2026-06-01T09:00:00.000Z", now)).toBe("in 3 h");
    expect(relativeTime("2026-06-01T09:20:00.000Z", now)).toBe("in 3 h 20 min");
    expect(relativeTime("2026-06-01T06:12:30.000Z", now)).toBe("in 12 min");
    expect(relativeTime("2026-06-01T06:00:20.000Z", now)).toBe("in less than a minute");
    expect(relativeTime("2026-06-04T06:00:00.000Z", now)).toBe("in 3 days");
    expect(relativeTime("2026-06-01T05:55:00.000Z", now)).toBe("5 min ago");
  });

  test("durations", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1250)).toBe("1.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3_780_000)).toBe("1 h 3 min");
    expect(runDuration({ startedAt: "2026-06-01T06:00:00.000Z", endedAt: "2026-06-01T06:00:01.500Z" }, 0)).toBe(
      "1.5 s",
    );
    expect(
      runDuration({ startedAt: "2026-06-01T06:00:00.000Z", endedAt: null }, Date.parse("2026-06-01T06:00:04.000Z")),
    ).toBe("4.0 s");
    expect(runDuration({ startedAt: null, endedAt: null }, 0)).toBe("");
  });

  test("manual input: empty is none, JSON is parsed, anything else is explained", () => {
    expect(parseRunInput("  ")).toEqual({ ok: true, value: null, empty: true });
    expect(parseRunInput('{"date": "2026-06-01"}')).toEqual({ ok: true, value: { date: "2026-06-01" }, empty: false });
    const bad = parseRunInput("{date: 1}");
    expect(bad.ok).toBe(false);
    if (!bad.ok)
      expect(bad.message).toMatch(/^The input is not valid JSON \(.+\)\. Put names and text in double quotes/);
  });

  test("which runs are still going", () => {
    expect(["queued", "running", "retrying"].every((s) => isRunActive(s as "queued"))).toBe(true);
    expect(isRunActive("succeeded") || isRunActive("failed") || isRunActive("skipped")).toBe(false);
  });
});

describe("automationEntries", () => {
  const live = (name: string, status: AutomationView["status"]): AutomationView => ({
    name,
    version: "v1",
    cron: "0 9 * * *",
    timezone: "UTC",
    schedule: "Every day at 09:00 (UTC)",
    missed: "run_once",
    attempts: 3,
    status,
    consecutiveFailures: 0,
    lastError: null,
    webhookUrl: null,
    nextFireTimes: [],
  });
  const declared = (name: string): AutomationDeclarationView => ({
    name,
    cron: null,
    timezone: "UTC",
    schedule: null,
    webhook: true,
    missed: "run_once",
    attempts: 3,
    nextFireTimes: [],
  });

  test("live ones first (inactive last among them), then the preview's own, matched by name", () => {
    const entries = automationEntries({
      automations: [live("old", "inactive"), live("digest", "ok")],
      preview: [declared("digest"), declared("newHook")],
    });
    expect(entries.map((e) => [e.name, e.live?.status ?? null, e.preview !== null])).toEqual([
      ["digest", "ok", true],
      ["old", "inactive", false],
      ["newHook", null, true],
    ]);
  });
});
