import { describe, expect, it } from "vitest";
import { CborError, decodeCbor } from "./cbor";
import { SoftwarePasskey, encodeCbor } from "../../../test/software-authenticator";
import { PasskeyError, verifyAssertion, verifyRegistration } from "./webauthn";

const site = { rpId: "club.apps.example.net", origin: "https://club.apps.example.net" };

async function registered() {
  const passkey = await SoftwarePasskey.create(site.rpId, site.origin);
  const stored = await verifyRegistration(await passkey.register("c-reg"), { ...site, challenge: "c-reg" });
  return { passkey, stored };
}

describe("WebAuthn checks of a visitor's passkey", () => {
  it("accepts a new ES256 passkey and then its signed sign-ins, counter moving forward", async () => {
    const { passkey, stored } = await registered();
    expect(stored).toMatchObject({
      credentialId: passkey.id,
      algorithm: -7,
      signCount: 0,
      jwk: { kty: "EC", crv: "P-256" },
    });
    const first = await verifyAssertion(await passkey.assert("c-1"), { ...site, challenge: "c-1" }, stored);
    expect(first.signCount).toBe(1);
    const second = await verifyAssertion(
      await passkey.assert("c-2"),
      { ...site, challenge: "c-2" },
      { ...stored, ...first },
    );
    expect(second.signCount).toBe(2);
  });

  it("refuses a registration for another challenge, page or site", async () => {
    const passkey = await SoftwarePasskey.create(site.rpId, site.origin);
    const expected = { ...site, challenge: "c-reg" };
    await expect(verifyRegistration(await passkey.register("other"), expected)).rejects.toThrow(/challenge/);
    await expect(
      verifyRegistration(await passkey.register("c-reg", { origin: "https://evil.example" }), expected),
    ).rejects.toThrow(/origin/);
    await expect(
      verifyRegistration(await passkey.register("c-reg", { rpId: "other.apps.example.net" }), expected),
    ).rejects.toThrow(/another site/);
  });

  it("refuses a sign-in signed by another key, replayed with an old counter, or for another challenge", async () => {
    const { passkey, stored } = await registered();
    const impostor = await SoftwarePasskey.create(site.rpId, site.origin);
    const forged = { ...(await impostor.assert("c-1")), id: passkey.id };
    await expect(verifyAssertion(forged, { ...site, challenge: "c-1" }, stored)).rejects.toThrow(PasskeyError);
    await expect(verifyAssertion(forged, { ...site, challenge: "c-1" }, stored)).rejects.toThrow(/signature/);
    const used = await passkey.assert("c-2", { signCount: 5 });
    await expect(verifyAssertion(used, { ...site, challenge: "c-2" }, { ...stored, signCount: 5 })).rejects.toThrow(
      /counter/,
    );
    await expect(verifyAssertion(await passkey.assert("c-3"), { ...site, challenge: "c-4" }, stored)).rejects.toThrow(
      /challenge/,
    );
    const tampered = await passkey.assert("c-5");
    tampered.authenticatorData =
      tampered.authenticatorData.slice(0, -1) + (tampered.authenticatorData.endsWith("A") ? "B" : "A");
    await expect(verifyAssertion(tampered, { ...site, challenge: "c-5" }, stored)).rejects.toThrow(PasskeyError);
  });

  it("reads CBOR as authenticators write it, and refuses what it cannot read", () => {
    const encoded = encodeCbor(
      new Map<number | string, never>([
        [1, 2 as never],
        ["fmt", "none" as never],
      ]),
    );
    expect(decodeCbor(encoded).value).toEqual(
      new Map<number | string, unknown>([
        [1, 2],
        ["fmt", "none"],
      ]),
    );
    expect(() => decodeCbor(encoded.subarray(0, encoded.length - 2))).toThrow(CborError);
    expect(() => decodeCbor(new Uint8Array([0x9f, 0x01, 0xff]))).toThrow(/indefinite/);
  });
});
