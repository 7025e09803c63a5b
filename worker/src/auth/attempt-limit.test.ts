import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type AttemptRule, TooManyAttemptsError, recordFailure, refuseWhenLimited } from "./attempt-limit";

const rule: AttemptRule = { scope: `test-${crypto.randomUUID()}`, limit: 3, windowSeconds: 600 };
const at = (seconds: number) => new Date(Date.UTC(2026, 11, 6, 12, 0, seconds));

describe("attempt limits", () => {
  it("refuse a key once its failures reach the limit, until its window ends", async () => {
    const keys = [{ rule, value: "someone@example.com" }];
    for (let i = 0; i < 3; i++) {
      await refuseWhenLimited(env.DB, keys, at(i));
      await recordFailure(env.DB, keys, at(i));
    }
    const refused = await refuseWhenLimited(env.DB, keys, at(10)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TooManyAttemptsError);
    expect((refused as TooManyAttemptsError).retryAfterSeconds).toBe(590);
    expect((refused as TooManyAttemptsError).message).toMatch(/Wait 10 minutes/);
    // The window started at the first failure: 600 s later the key may try again, with a fresh count.
    await expect(refuseWhenLimited(env.DB, keys, at(600))).resolves.toBeUndefined();
    await recordFailure(env.DB, keys, at(600));
    await expect(refuseWhenLimited(env.DB, keys, at(601))).resolves.toBeUndefined();
  });

  it("count each value and each scope apart, and store neither in clear", async () => {
    const other: AttemptRule = { ...rule, scope: `${rule.scope}-ip` };
    const email = `${crypto.randomUUID()}@example.com`;
    for (let i = 0; i < 3; i++) await recordFailure(env.DB, [{ rule: other, value: "203.0.113.7" }], at(i));
    await expect(refuseWhenLimited(env.DB, [{ rule: other, value: "203.0.113.7" }], at(5))).rejects.toThrow(
      TooManyAttemptsError,
    );
    await expect(refuseWhenLimited(env.DB, [{ rule: other, value: "203.0.113.8" }], at(5))).resolves.toBeUndefined();
    await expect(refuseWhenLimited(env.DB, [{ rule, value: email }], at(5))).resolves.toBeUndefined();
    // One limited key among several refuses the attempt.
    await expect(
      refuseWhenLimited(
        env.DB,
        [
          { rule, value: email },
          { rule: other, value: "203.0.113.7" },
        ],
        at(5),
      ),
    ).rejects.toThrow(TooManyAttemptsError);
    const stored = await env.DB.prepare("SELECT key FROM auth_attempts").all<{ key: string }>();
    expect(stored.results.length).toBeGreaterThan(0);
    for (const { key } of stored.results) {
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(key).not.toContain("203.0.113");
    }
  });
});
