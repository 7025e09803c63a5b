import { describe, expect, it } from "vitest";
import { newUser, visit } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { keepCookiesOnHost, withoutDomain } from "./app-cookies";

describe("cookies an app sets", () => {
  it("lose their Domain attribute, whatever its case and spacing; the rest is kept", () => {
    expect(withoutDomain("kiln_session=x; Domain=example.com; Path=/")).toBe("kiln_session=x; Path=/");
    expect(withoutDomain("a=b;  domain = .example.com ;HttpOnly")).toBe("a=b;HttpOnly");
    expect(withoutDomain("a=b; DOMAIN=x; Secure; Domain=y")).toBe("a=b; Secure");
    expect(withoutDomain("a=b; Path=/domain")).toBe("a=b; Path=/domain");
    expect(withoutDomain("domain=value; Path=/")).toBe("domain=value; Path=/");
  });

  it("are rewritten one by one, and left alone when none names a domain", () => {
    const headers = new Headers();
    headers.append("set-cookie", "a=1; Domain=localhost; Path=/");
    headers.append("set-cookie", "b=2; HttpOnly");
    keepCookiesOnHost(headers);
    expect(headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    const untouched = new Headers({ "set-cookie": "c=3; Max-Age=60" });
    keepCookiesOnHost(untouched);
    expect(untouched.getSetCookie()).toEqual(["c=3; Max-Age=60"]);
  });

  it("cannot reach the platform's host nor set Kiln's own cookies: a served app's cookies arrive host-only", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "cookie-setter", {
      "src/index.ts": `export default {
  fetch: () => {
    const headers = new Headers({ "content-type": "text/plain" });
    headers.append("set-cookie", "kiln_session=forged; Domain=localhost; Path=/; HttpOnly");
    headers.append("set-cookie", "__Host-kiln_visitor=fixed; Path=/; Secure");
    headers.append("set-cookie", "theme=dark; Path=/; Domain=localhost");
    return new Response("ok", { headers });
  },
};`,
    });
    const page = await visit(app.previewUrl);
    expect(page.status).toBe(200);
    // Kiln's own cookie names are dropped altogether; the app's others stay, host-only.
    expect(page.headers.getSetCookie()).toEqual(["theme=dark; Path=/"]);
  });
});
