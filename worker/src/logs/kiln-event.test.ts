import { describe, expect, it } from "vitest";
import { isKilnEvent } from "./trace-to-logs";

const traced = (headers: Record<string, string>) =>
  ({ logs: [], exceptions: [], truncated: false, event: { request: { headers } } }) as unknown as TraceItem;

describe("telling Kiln's own events from visits in a trace", () => {
  it("finds the invoke header Kiln sends with automation runs and Stripe events", () => {
    expect(isKilnEvent(traced({ "x-kiln-invoke": "automation" }))).toBe(true);
    expect(isKilnEvent(traced({ "x-kiln-invoke": "stripe" }))).toBe(true);
  });

  it("treats a visit, or a trace without a request, as no event", () => {
    expect(isKilnEvent(traced({ accept: "text/html" }))).toBe(false);
    expect(isKilnEvent({ logs: [], exceptions: [], truncated: false, event: null } as unknown as TraceItem)).toBe(
      false,
    );
  });
});
