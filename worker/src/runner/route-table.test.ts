import { describe, expect, it } from "vitest";
import type { ServedApp } from "../serving/served-app";
import { type RouteRow, RouteTable } from "./route-table";

const app = (slug: string, liveVersion: string | null): ServedApp => ({
  appId: `app_${slug}`,
  slug,
  name: slug,
  previewVersion: null,
  liveVersion,
  config: {},
  quarantined: [],
  previewConnectors: [],
  liveConnectors: [],
  previewTools: false,
  liveTools: false,
  access: { preview: { rule: "public", domains: [] }, live: { rule: "public", domains: [] } },
});

/** A source that counts its reads and answers what `rows` holds at the time. */
function countingSource(rows: Map<string, RouteRow>) {
  const reads: string[] = [];
  return {
    reads,
    source: async (slug: string) => {
      reads.push(slug);
      return rows.get(slug) ?? { app: null, revision: Date.now() };
    },
  };
}

describe("the runner's routing table", () => {
  it("reads a slug once, then answers from memory until a push replaces the row", async () => {
    const rows = new Map([["shop", { app: app("shop", "v1"), revision: 1 }]]);
    const { reads, source } = countingSource(rows);
    const table = new RouteTable(source);
    expect((await table.lookup("shop"))?.liveVersion).toBe("v1");
    expect((await table.lookup("shop"))?.liveVersion).toBe("v1");
    expect(reads).toEqual(["shop"]);
    table.put("shop", { app: app("shop", "v2"), revision: 2 });
    expect((await table.lookup("shop"))?.liveVersion).toBe("v2");
    table.put("shop", { app: null, revision: 3 });
    expect(await table.lookup("shop")).toBeNull();
    expect(reads).toEqual(["shop"]);
  });

  it("keeps the newer row when an older one arrives late (a read that raced a push)", async () => {
    let release: (row: RouteRow) => void = () => {};
    const table = new RouteTable(() => new Promise<RouteRow>((resolve) => (release = resolve)));
    const reading = table.lookup("shop");
    table.put("shop", { app: app("shop", "v2"), revision: 20 });
    release({ app: app("shop", "v1"), revision: 10 });
    expect((await reading)?.liveVersion).toBe("v2");
    expect((await table.lookup("shop"))?.liveVersion).toBe("v2");
  });

  it("remembers that a slug has no app, so unknown hosts cost one read", async () => {
    const { reads, source } = countingSource(new Map());
    const table = new RouteTable(source);
    expect(await table.lookup("nobody")).toBeNull();
    expect(await table.lookup("nobody")).toBeNull();
    expect(reads).toEqual(["nobody"]);
  });

  it("reads a row again once it is older than the TTL (Cloudflare, where pushes reach one isolate)", async () => {
    const rows = new Map([["shop", { app: app("shop", "v1"), revision: 1 }]]);
    const { reads, source } = countingSource(rows);
    const table = new RouteTable(source, { ttlMs: 30 });
    await table.lookup("shop");
    rows.set("shop", { app: app("shop", "v2"), revision: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await table.lookup("shop"))?.liveVersion).toBe("v2");
    expect(reads).toEqual(["shop", "shop"]);
  });

  it("drops the least recently used rows past its bound", async () => {
    const rows = new Map(["a", "b", "c"].map((s) => [s, { app: app(s, "v1"), revision: 1 }]));
    const { reads, source } = countingSource(rows);
    const table = new RouteTable(source, { maxRows: 2 });
    await table.lookup("a");
    await table.lookup("b");
    await table.lookup("a");
    await table.lookup("c");
    expect(table.size).toBe(2);
    await table.lookup("a");
    await table.lookup("b");
    expect(reads).toEqual(["a", "b", "c", "b"]);
  });
});
