import { describe, expect, it } from "vitest";
import type { AppBundle } from "../compiler";
import { BundleCache } from "./bundle-cache";

const bundle = (size: number): AppBundle => ({ mainModule: "m.js", modules: { "m.js": "x".repeat(size) } });

describe("the runner's bundle cache", () => {
  it("loads a version once, and once only for concurrent starts", async () => {
    const cache = new BundleCache(10_000);
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return bundle(100);
    };
    const [a, b] = await Promise.all([cache.get("app:v1", load), cache.get("app:v1", load)]);
    expect(a).toBe(b);
    expect(await cache.get("app:v1", load)).toBe(a);
    expect(loads).toBe(1);
  });

  it("keeps within its byte budget, least recently used out, and remembers no missing bundle", async () => {
    const cache = new BundleCache(2_500);
    const loads: string[] = [];
    const loader = (key: string, size: number) => async () => {
      loads.push(key);
      return bundle(size);
    };
    await cache.get("a:1", loader("a:1", 1_000));
    await cache.get("b:1", loader("b:1", 1_000));
    await cache.get("a:1", loader("a:1", 1_000));
    await cache.get("c:1", loader("c:1", 1_000));
    expect(cache.bytes).toBeLessThanOrEqual(2_500);
    await cache.get("a:1", loader("a:1", 1_000));
    await cache.get("b:1", loader("b:1", 1_000));
    expect(loads).toEqual(["a:1", "b:1", "c:1", "b:1"]);
    expect(await cache.get("gone:1", async () => null)).toBeNull();
    await cache.get("big:1", loader("big:1", 5_000));
    await cache.get("big:1", loader("big:1", 5_000));
    expect(loads.filter((key) => key === "big:1")).toHaveLength(2);
  });
});
