// A software authenticator for the workerd tests: a real P-256 key that makes WebAuthn registrations and assertions
// byte for byte as a platform authenticator does (CBOR attestation object "none", DER signatures), so the relying
// party's checks are tested against the wire format, not against themselves.
import { bytesToBase64Url } from "../src/vault/base64";
import type { AssertionResponse, RegistrationResponse } from "../src/access/passkeys/webauthn";

type Cbor = number | string | Uint8Array | Cbor[] | Map<number | string, Cbor>;

function head(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 256) return [(major << 5) | 24, length];
  return [(major << 5) | 25, length >> 8, length & 255];
}

/** Encodes the CBOR an authenticator writes (definite lengths, small integers). */
export function encodeCbor(value: Cbor): Uint8Array {
  const out: number[] = [];
  const write = (item: Cbor): void => {
    if (typeof item === "number") out.push(...(item >= 0 ? head(0, item) : head(1, -1 - item)));
    else if (typeof item === "string") {
      const bytes = new TextEncoder().encode(item);
      out.push(...head(3, bytes.length), ...bytes);
    } else if (item instanceof Uint8Array) out.push(...head(2, item.length), ...item);
    else if (Array.isArray(item)) {
      out.push(...head(4, item.length));
      for (const element of item) write(element);
    } else {
      out.push(...head(5, item.size));
      for (const [key, element] of item) {
        write(key);
        write(element);
      }
    }
  };
  write(value);
  return new Uint8Array(out);
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};
const sha256 = async (data: Uint8Array) => new Uint8Array(await crypto.subtle.digest("SHA-256", data));
const b64 = (bytes: Uint8Array) => bytesToBase64Url(bytes);
const fromB64 = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

// Web Crypto signs ECDSA as r||s; authenticators send DER.
function toDer(raw: Uint8Array): Uint8Array {
  const integer = (value: Uint8Array) => {
    let v = value;
    while (v.length > 1 && v[0] === 0 && v[1]! < 0x80) v = v.subarray(1);
    if (v[0]! >= 0x80) v = concat(new Uint8Array([0]), v);
    return concat(new Uint8Array([0x02, v.length]), v);
  };
  const body = concat(integer(raw.subarray(0, 32)), integer(raw.subarray(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

/** One passkey held by the software authenticator. */
export class SoftwarePasskey {
  signCount = 0;
  private constructor(
    readonly credentialId: Uint8Array,
    private readonly keys: CryptoKeyPair,
    private readonly rpId: string,
    private readonly origin: string,
  ) {}

  /** A new passkey for `rpId`, used from pages of `origin`. */
  static async create(rpId: string, origin: string): Promise<SoftwarePasskey> {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as CryptoKeyPair;
    return new SoftwarePasskey(crypto.getRandomValues(new Uint8Array(16)), keys, rpId, origin);
  }

  get id(): string {
    return b64(this.credentialId);
  }

  /** The answer to `navigator.credentials.create` for `challenge`. */
  async register(challenge: string, overrides: { rpId?: string; origin?: string } = {}): Promise<RegistrationResponse> {
    const jwk = (await crypto.subtle.exportKey("jwk", this.keys.publicKey)) as JsonWebKey;
    const cose = new Map<number, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, fromB64(jwk.x!)],
      [-3, fromB64(jwk.y!)],
    ]);
    const length = new Uint8Array([this.credentialId.length >> 8, this.credentialId.length & 255]);
    const authData = concat(
      await sha256(new TextEncoder().encode(overrides.rpId ?? this.rpId)),
      new Uint8Array([0x45, 0, 0, 0, 0]),
      new Uint8Array(16),
      length,
      this.credentialId,
      encodeCbor(cose),
    );
    const attestation = new Map<string, Cbor>([
      ["fmt", "none"],
      ["attStmt", new Map()],
      ["authData", authData],
    ]);
    return {
      id: this.id,
      clientDataJSON: this.clientData("webauthn.create", challenge, overrides.origin),
      attestationObject: b64(encodeCbor(attestation)),
    };
  }

  /** The answer to `navigator.credentials.get` for `challenge`; the counter moves on unless told otherwise. */
  async assert(challenge: string, overrides: { origin?: string; signCount?: number } = {}): Promise<AssertionResponse> {
    this.signCount = overrides.signCount ?? this.signCount + 1;
    const count = this.signCount;
    const authData = concat(
      await sha256(new TextEncoder().encode(this.rpId)),
      new Uint8Array([0x05, count >>> 24, (count >>> 16) & 255, (count >>> 8) & 255, count & 255]),
    );
    const clientDataJSON = this.clientData("webauthn.get", challenge, overrides.origin);
    const signed = concat(authData, await sha256(fromB64(clientDataJSON)));
    const raw = new Uint8Array(
      await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, signed),
    );
    return { id: this.id, clientDataJSON, authenticatorData: b64(authData), signature: b64(toDer(raw)) };
  }

  private clientData(type: string, challenge: string, origin = this.origin): string {
    return b64(new TextEncoder().encode(JSON.stringify({ type, challenge, origin, crossOrigin: false })));
  }
}
