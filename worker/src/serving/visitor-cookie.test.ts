import { describe, expect, it } from "vitest";
import { stripVisitorCookie, visitorCookie, visitorCookieName, visitorToken } from "./visitor-cookie";

describe("the visitor session cookie", () => {
  it("is __Host- prefixed and Secure under https, host-only everywhere", () => {
    expect(visitorCookieName(new URL("https://shop.apps.example.com/"))).toBe("__Host-kiln_visitor");
    const secure = visitorCookie(new URL("https://shop.apps.example.com/x"), "abc");
    expect(secure).toBe("__Host-kiln_visitor=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=604800; Secure");
    expect(secure).not.toMatch(/Domain=/i);
    expect(visitorCookie(new URL("http://shop.localhost:8787/"), null)).toBe(
      "kiln_visitor=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
    );
  });

  it("in the workspace's frame is partitioned, so only a frame under the workspace's site sends it", () => {
    expect(visitorCookie(new URL("https://shop--preview.apps.example.com/"), "abc", "embedded")).toBe(
      "__Host-kiln_embed=abc; Path=/; HttpOnly; SameSite=None; Max-Age=604800; Secure; Partitioned",
    );
    expect(visitorCookie(new URL("http://shop--preview.localhost:8787/"), null, "embedded")).toBe(
      "kiln_embed=; Path=/; HttpOnly; SameSite=None; Max-Age=0; Secure; Partitioned",
    );
    const framed = new Request("http://shop.localhost/", { headers: { cookie: "kiln_embed=e1; x=1" } });
    expect(visitorToken(framed)).toEqual({ token: "e1", context: "embedded" });
    // Both sent (an odd browser): the page's own cookie wins.
    const both = new Request("http://shop.localhost/", { headers: { cookie: "kiln_embed=e1; kiln_visitor=t1" } });
    expect(visitorToken(both)).toEqual({ token: "t1", context: "top" });
    const headers = new Headers(both.headers);
    stripVisitorCookie(headers, new URL(both.url));
    expect(headers.has("cookie")).toBe(false);
  });

  it("is read from the request and removed before the app sees the cookies", () => {
    const request = new Request("http://shop.localhost/", { headers: { cookie: "a=1; kiln_visitor=tok; b=2" } });
    expect(visitorToken(request)).toEqual({ token: "tok", context: "top" });
    // Under https only the __Host- cookie counts: a plain one could have been planted by a sibling host.
    expect(visitorToken(new Request("https://shop.example/", { headers: { cookie: "kiln_visitor=tok" } }))).toBeNull();
    expect(visitorToken(new Request("http://shop.localhost/", { headers: { cookie: "kiln_visitor=" } }))).toBeNull();
    const headers = new Headers(request.headers);
    stripVisitorCookie(headers, new URL(request.url));
    expect(headers.get("cookie")).toBe("a=1; b=2");
    const only = new Headers({ cookie: "kiln_visitor=tok" });
    stripVisitorCookie(only, new URL("http://shop.localhost/"));
    expect(only.has("cookie")).toBe(false);
  });
});
