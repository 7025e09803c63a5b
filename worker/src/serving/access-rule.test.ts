import { describe, expect, it } from "vitest";
import { accessVerdict, emailInDomains, maySignIn, parseAccess } from "./access-rule";
import type { AppAccess } from "../core/api-shapes/access";

const visitor = (email: string, roles: string[] = []) => ({ id: "vis_1", email, roles });
const rule = (r: AppAccess["rule"], domains: string[] = []): AppAccess => ({ rule: r, domains });

describe("access rules", () => {
  it("let anyone through a public app, and ask everyone else to sign in first", () => {
    expect(accessVerdict(rule("public"), { visitor: null, invited: false })).toBe("allow");
    for (const r of ["signed_in", "invited", "domains", "owner"] as const)
      expect(accessVerdict(rule(r, ["a.test"]), { visitor: null, invited: false })).toBe("sign_in");
  });

  it("admit signed-in visitors by the rule, and the owner always", () => {
    const ann = visitor("ann@a.test");
    expect(accessVerdict(rule("signed_in"), { visitor: ann, invited: false })).toBe("allow");
    expect(accessVerdict(rule("invited"), { visitor: ann, invited: false })).toBe("refuse");
    expect(accessVerdict(rule("invited"), { visitor: ann, invited: true })).toBe("allow");
    expect(accessVerdict(rule("domains", ["a.test"]), { visitor: ann, invited: true })).toBe("allow");
    expect(accessVerdict(rule("domains", ["b.test"]), { visitor: ann, invited: true })).toBe("refuse");
    expect(accessVerdict(rule("owner"), { visitor: ann, invited: true })).toBe("refuse");
    expect(accessVerdict(rule("owner"), { visitor: visitor("o@x.test", ["owner"]), invited: true })).toBe("allow");
  });

  it("match email domains exactly, never a lookalike or a subdomain", () => {
    expect(emailInDomains("ann@A.Test", ["a.test"])).toBe(true);
    expect(emailInDomains("ann@sub.a.test", ["a.test"])).toBe(false);
    expect(emailInDomains("ann@evila.test", ["a.test"])).toBe(false);
    expect(emailInDomains("a.test", ["a.test"])).toBe(false);
    expect(emailInDomains('"x@a.test"@b.test', ["a.test"])).toBe(false);
  });

  it("send codes only to emails the rule could admit", () => {
    expect(maySignIn(rule("public"), "x@y.test", false)).toBe(true);
    expect(maySignIn(rule("signed_in"), "x@y.test", false)).toBe(true);
    expect(maySignIn(rule("invited"), "x@y.test", false)).toBe(false);
    expect(maySignIn(rule("invited"), "x@y.test", true)).toBe(true);
    expect(maySignIn(rule("domains", ["y.test"]), "x@y.test", false)).toBe(true);
    expect(maySignIn(rule("owner"), "x@y.test", true)).toBe(false);
  });

  it("read stored rules with defaults (the preview is the owner's, the live app everyone's), never more open", () => {
    expect(parseAccess(null)).toEqual({ preview: rule("owner"), live: rule("public") });
    expect(parseAccess(JSON.stringify([{ environment: "live", rule: "domains", domains: ["a.test", 3] }]))).toEqual({
      preview: rule("owner"),
      live: rule("domains", ["a.test"]),
    });
    expect(parseAccess(JSON.stringify([{ environment: "live", rule: "everyone" }])).live).toEqual(rule("owner"));
    expect(parseAccess(JSON.stringify([{ environment: "preview", rule: "public" }])).preview).toEqual(rule("public"));
    expect(parseAccess("not json")).toEqual({ preview: rule("owner"), live: rule("public") });
  });
});
