import { describe, expect, it } from "vitest";
import { runnerIndex } from "../placement/runner-index";
import { FRONT_HEADER } from "../core/headers";
import { frontRequestId, stampForRunner } from "./front-headers";

describe("the front door's request ids", () => {
  it("drops a visitor's x-kiln-* headers and gives the request an id the runner trusts", () => {
    const visitor = new Request("http://shop.localhost:8787/", {
      headers: { "x-kiln-request-id": "req_aaaaaaaaaaaaaaaaaaaa", "x-kiln-invoke": "automation", accept: "text/html" },
    });
    const { request, requestId } = stampForRunner(visitor, "s3cret");
    expect(requestId).toMatch(/^req_[0-9a-f]{20}$/);
    expect(request.headers.get("x-kiln-invoke")).toBeNull();
    expect(request.headers.get("accept")).toBe("text/html");
    expect(frontRequestId(request, "s3cret")).toBe(requestId);
  });

  it("ignores a request id that does not come with the front door's secret", () => {
    const forged = new Request("http://shop.localhost:8787/", {
      headers: { "x-kiln-request-id": "req_aaaaaaaaaaaaaaaaaaaa", [FRONT_HEADER]: "guess" },
    });
    expect(frontRequestId(forged, "s3cret")).toBeNull();
    // Without a secret (Cloudflare, no front door) no id is ever taken from a request.
    expect(frontRequestId(forged, undefined)).toBeNull();
    const malformed = stampForRunner(new Request("http://shop.localhost:8787/"), "s3cret").request;
    malformed.headers.set("x-kiln-request-id", "req_<script>");
    expect(frontRequestId(malformed, "s3cret")).toBeNull();
  });
});

describe("runner placement", () => {
  it("places a slug on the same runner every time, and spreads slugs over every runner", () => {
    expect(runnerIndex("shop", 4)).toBe(runnerIndex("shop", 4));
    expect(runnerIndex("shop", 1)).toBe(0);
    const used = new Set(Array.from({ length: 200 }, (_, i) => runnerIndex(`app-${i}`, 4)));
    expect([...used].sort()).toEqual([0, 1, 2, 3]);
  });

  it("shares slugs about evenly between runners, even slugs that differ in one character", () => {
    for (const count of [2, 3, 4]) {
      const perRunner = new Array<number>(count).fill(0);
      for (let i = 0; i < 2000; i++) perRunner[runnerIndex(`crm-${i.toString(36)}`, count)]! += 1;
      for (const apps of perRunner) expect(apps / 2000).toBeGreaterThan(0.8 / count);
    }
  });
});
