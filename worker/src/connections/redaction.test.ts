import { describe, expect, it } from "vitest";
import { upstreamErrorMessage } from "./credential-check";
import { REDACTED, redactSecrets } from "./redaction";

describe("redaction of upstream messages", () => {
  it("removes the exact credential wherever an upstream echoes it, even in a shape Kiln does not know", () => {
    const secret = "custom-opaque-token-1234567890";
    expect(redactSecrets(`Invalid token ${secret} (token=${secret})`, [secret])).toBe(
      `Invalid token ${REDACTED} (token=${REDACTED})`,
    );
  });

  it("removes anything shaped like a Stripe, Airtable, Google or Kiln credential, keeping masked keys and the words around them", () => {
    const message = [
      "Invalid API Key provided: sk_live_51AbCdEfGhIjKlMnOp",
      "restricted rk_test_51QrStUvWx",
      "token patAbCdEfGh123456.0123456789abcdef0123456789abcdef",
      "bearer ya29.a0AfH6SMBx-yz_12",
      "refresh 1//0gAbCdEfGhIjKlMn",
      "kiln_pat_0123456789abcdef",
      "masked sk_test_****abcd stays",
    ].join("; ");
    const redacted = redactSecrets(message, []);
    for (const leaked of ["sk_live_51", "rk_test_51", "patAbCdEfGh", "ya29.", "1//0g", "kiln_pat_0"])
      expect(redacted).not.toContain(leaked);
    expect(redacted).toContain("Invalid API Key provided: [redacted]");
    expect(redacted).toContain("masked sk_test_****abcd stays");
  });

  it("reads the message from each service's error shape, and never returns an unbounded body", async () => {
    const reply = (status: number, body: unknown) =>
      new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
    expect(
      await upstreamErrorMessage(
        reply(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided: sk_test_****zzzz" } }),
      ),
    ).toBe("Invalid API Key provided: sk_test_****zzzz");
    expect(
      await upstreamErrorMessage(
        reply(401, { error: { type: "AUTHENTICATION_REQUIRED", message: "Authentication required" } }),
      ),
    ).toBe("Authentication required");
    expect(await upstreamErrorMessage(reply(404, { error: "NOT_FOUND" }))).toBe("NOT_FOUND");
    expect(
      await upstreamErrorMessage(
        reply(400, { error: "invalid_grant", error_description: "Token has been expired or revoked." }),
      ),
    ).toBe("Token has been expired or revoked.");
    expect(
      await upstreamErrorMessage(reply(422, { errors: [{ error: "INVALID", message: "Field is invalid" }] })),
    ).toBe("Field is invalid");
    expect((await upstreamErrorMessage(reply(500, "x".repeat(10_000)))).length).toBeLessThanOrEqual(200);
    expect(redactSecrets("y".repeat(10_000), []).length).toBeLessThanOrEqual(401);
  });
});
