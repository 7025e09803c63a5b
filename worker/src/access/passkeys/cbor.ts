// The part of CBOR (RFC 8949) WebAuthn needs to read: an authenticator's attestation object and the COSE public key
// inside it. Definite lengths only (authenticators use nothing else); anything else is refused, never guessed.

/** A decoded CBOR value: maps keep their keys (numbers or text) as they were. */
export type CborValue = number | bigint | string | boolean | null | undefined | Uint8Array | CborValue[] | CborMap;
/** A CBOR map, keys in order. */
export type CborMap = Map<number | string, CborValue>;

/** Thrown for bytes that are not the CBOR this decoder reads. */
export class CborError extends Error {}

/** Decodes one CBOR item at the start of `bytes`; answers it and how many bytes it took. */
export function decodeCbor(bytes: Uint8Array, offset = 0): { value: CborValue; end: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (at: number): { value: CborValue; end: number } => {
    if (at >= bytes.length) throw new CborError("CBOR ended early");
    const initial = bytes[at]!;
    const major = initial >> 5;
    const info = initial & 31;
    let length: number;
    let next = at + 1;
    if (info < 24) {
      length = info;
    } else if (info === 24) {
      length = bytes[next]!;
      next += 1;
    } else if (info === 25) {
      length = view.getUint16(next);
      next += 2;
    } else if (info === 26) {
      length = view.getUint32(next);
      next += 4;
    } else if (info === 27) {
      const big = view.getBigUint64(next);
      next += 8;
      if (major === 0) return { value: big, end: next };
      if (major === 1) return { value: -1n - big, end: next };
      throw new CborError("CBOR item too long");
    } else throw new CborError("indefinite-length CBOR is not supported");
    switch (major) {
      case 0:
        return { value: length, end: next };
      case 1:
        return { value: -1 - length, end: next };
      case 2:
        if (next + length > bytes.length) throw new CborError("CBOR byte string ended early");
        return { value: bytes.slice(next, next + length), end: next + length };
      case 3:
        if (next + length > bytes.length) throw new CborError("CBOR text ended early");
        return { value: new TextDecoder().decode(bytes.subarray(next, next + length)), end: next + length };
      case 4: {
        const items: CborValue[] = [];
        for (let i = 0; i < length; i++) {
          const item = read(next);
          items.push(item.value);
          next = item.end;
        }
        return { value: items, end: next };
      }
      case 5: {
        const map: CborMap = new Map();
        for (let i = 0; i < length; i++) {
          const key = read(next);
          if (typeof key.value !== "number" && typeof key.value !== "string")
            throw new CborError("CBOR map keys must be numbers or text here");
          const item = read(key.end);
          map.set(key.value, item.value);
          next = item.end;
        }
        return { value: map, end: next };
      }
      case 7:
        if (info === 20) return { value: false, end: next };
        if (info === 21) return { value: true, end: next };
        if (info === 22) return { value: null, end: next };
        if (info === 23) return { value: undefined, end: next };
        throw new CborError("CBOR floats and simple values are not supported");
      default:
        throw new CborError("CBOR tags are not supported");
    }
  };
  try {
    return read(offset);
  } catch (error) {
    // A length pointing past the end makes DataView throw a RangeError: the same bad input, said as such.
    if (error instanceof RangeError) throw new CborError("CBOR ended early");
    throw error;
  }
}
