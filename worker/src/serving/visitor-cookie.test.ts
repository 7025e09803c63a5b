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

  it("is read from the request and removed before the app sees the cookies", () => {
    const request = new Request("http://shop.localhost/", { headers: { cookie: "a=1; kiln_visitor=tok; b=2" } });
    expect(visitorToken(request)).toBe("tok");
    // Under https only the __Host- cookie counts: a plain one could have been planted by a sibling host.
    expect(visitorToken(new Request("https://shop.example/", { headers: { cookie: "kiln_visitor=tok" } }))).toBeNull();
    const headers = new Headers(request.headers);
    stripVisitorCookie(headers, new URL(request.url));
    expect(headers.get("cookie")).toBe("a=1; b=2");
    const only = new Headers({ cookie: "kiln_visitor=tok" });
    stripVisitorCookie(only, new URL("http://shop.localhost/"));
    expect(only.has("cookie")).toBe(false);
  });
});
