import { SELF, env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { appWithSource } from "../../test/fixtures";
import { visitorPages } from "../access/visitor-pages";
import { sendMail } from "./mailer";
import { SmtpError, mimeText, parseSmtpUrl, sendSmtp } from "./smtp";

interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  authenticatedAs: string | null;
}

async function inbox(): Promise<ReceivedMail[]> {
  return (await (await fetch(env.TEST_SMTP_INBOX)).json()) as ReceivedMail[];
}

describe("mail", () => {
  beforeEach(async () => {
    await fetch(env.TEST_SMTP_INBOX, { method: "DELETE" });
  });

  it("reads KILN_SMTP_URL, and refuses one it cannot use without repeating it", () => {
    expect(parseSmtpUrl("smtps://me:p%40ss@mail.example.com?from=hi@example.com")).toEqual({
      host: "mail.example.com",
      port: 465,
      tls: "on",
      username: "me",
      password: "p@ss",
      from: "hi@example.com",
    });
    expect(parseSmtpUrl("smtp://mail.example.com")).toMatchObject({ port: 587, tls: "starttls", username: null });
    expect(() => parseSmtpUrl("https://user:hunter2@mail.example.com")).toThrow(/must start with smtp:\/\//);
    for (const bad of ["smtp://user:hunter2@", "smtp://user:hunter2@bad host:25"]) {
      const error = (() => {
        try {
          parseSmtpUrl(bad);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(SmtpError);
      expect(String(error)).not.toContain("hunter2");
    }
  });

  it("delivers over SMTP with AUTH PLAIN, a UTF-8 subject and dot-stuffed lines", async () => {
    const config = parseSmtpUrl(env.TEST_SMTP_URL);
    await sendSmtp(config, { to: "ann@example.com", subject: "Café code: 123456", text: "Line one\n.hidden dot\nbye" });
    const [mail] = await inbox();
    expect(mail).toMatchObject({ from: "sign-in@kiln.test", to: ["ann@example.com"], authenticatedAs: "kiln" });
    expect(mail!.data).toContain("Subject: =?UTF-8?B?");
    expect(mail!.data).toContain("Content-Type: text/plain; charset=utf-8");
    expect(mail!.data.endsWith("Line one\r\n.hidden dot\r\nbye")).toBe(true);
  });

  it("says what the server refused, never the password", async () => {
    const wrong = { ...parseSmtpUrl(env.TEST_SMTP_URL), password: "not the password" };
    const error = await sendSmtp(wrong, { to: "a@example.com", subject: "x", text: "y" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmtpError);
    expect((error as Error).message).toMatch(/535 .*to AUTH PLAIN <credentials>/);
    expect((error as Error).message).not.toContain("not the password");
    await expect(
      sendSmtp(parseSmtpUrl(env.TEST_SMTP_URL), { to: "a@example.com\r\nBcc: x@evil.test", subject: "x", text: "y" }),
    ).rejects.toThrow(/line break/);
    expect(await inbox()).toEqual([]);
  });

  it("uses SMTP instead of the outbox when KILN_SMTP_URL is set", async () => {
    await sendMail(
      { DB: env.DB, KILN_SMTP_URL: env.TEST_SMTP_URL },
      { appId: null, to: "b@example.com", subject: "s", text: "t" },
    );
    expect((await inbox()).map((m) => m.to)).toEqual([["b@example.com"]]);
    const stored = await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE to_email = ?")
      .bind("b@example.com")
      .first<{ n: number }>();
    expect(stored?.n).toBe(0);
  });

  it("a visitor's sign-in code arrives by SMTP and signs them in", async () => {
    const user = await newUser();
    const app = await appWithSource(user, "smtp sign-in", {
      "src/index.ts": `export default { fetch: (req: Request) => new Response(req.headers.get("x-kiln-visitor") ?? "none") };`,
    });
    await user.call("PUT", `/api/apps/${app.id}/access/preview`, { rule: "signed_in" });
    const origin = new URL(app.previewUrl).origin;
    const asked = await visitorPages(
      { ...env, KILN_SMTP_URL: env.TEST_SMTP_URL },
      new Request(`${origin}/_kiln/sign-in`, {
        method: "POST",
        headers: { origin, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: "carol@example.com", next: "/" }),
      }),
      app.slug,
      "preview",
    );
    expect(asked.status).toBe(200);
    const [mail] = await inbox();
    const code = /is (\d{6})\./.exec(mail!.data)![1]!;
    const signedIn = await SELF.fetch(`${origin}/_kiln/sign-in/code`, {
      method: "POST",
      redirect: "manual",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "carol@example.com", code, next: "/" }),
    });
    expect(signedIn.status).toBe(303);
    const cookie = signedIn.headers.get("set-cookie")!.split(";")[0]!;
    expect(await (await SELF.fetch(app.previewUrl, { headers: { cookie } })).text()).toContain("carol@example.com");
  });

  it("builds a message whose headers cannot be broken by the body", () => {
    const text = mimeText("a@b.c", { to: "d@e.f", subject: "Hi", text: "x\r\n.\r\ny" }, new Date(0));
    expect(text).toContain("Date: Thu, 01 Jan 1970 00:00:00 +0000");
    expect(text.endsWith("x\r\n..\r\ny")).toBe(true);
  });
});
