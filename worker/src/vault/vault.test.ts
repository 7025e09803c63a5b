import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newUser } from "../../test/api-client";
import { keyringFromEnv } from "./env-keyring";
import { generateMasterKeyText, importMasterKey, loadKeyring } from "./master-key";
import { KEY_USAGE_QUERY, WRAPPED_KEYS_QUERY, type WrappedKeyRow, planRotation } from "./rotation";
import { VaultError } from "./vault-error";
import { readSecret, storeSecretStatement } from "./vault-store";

const SECRET = "sk_test_vault_round_trip_4242";

async function store(
  keyring: Awaited<ReturnType<typeof loadKeyring>>,
  ownerId: string,
  recordId: string,
  plaintext: string,
) {
  await (await storeSecretStatement(env.DB, keyring, { ownerId, recordId }, plaintext)).run();
}

async function rawRow(recordId: string) {
  return env.DB.prepare("SELECT * FROM vault_secrets WHERE record_id = ?")
    .bind(recordId)
    .first<Record<string, string>>();
}

async function vaultError(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(VaultError);
  return error as VaultError;
}

function recordId(): string {
  return `con_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
}

describe("vault", () => {
  it("round-trips a secret through D1, storing only ciphertext, a wrapped key and the master key's id", async () => {
    const user = await newUser();
    const keyring = await keyringFromEnv(env);
    const id = recordId();
    await store(keyring, user.id, id, SECRET);

    expect(await readSecret(env.DB, keyring, { ownerId: user.id, recordId: id })).toBe(SECRET);
    const row = (await rawRow(id))!;
    expect(row.key_id).toBe(keyring.current.id);
    expect(row.key_id).toMatch(/^mk_[0-9a-f]{16}$/);
    const stored = JSON.stringify(row);
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(env.KILN_MASTER_KEY!);
    expect(atob(row.ciphertext!)).not.toContain("vault_round_trip");
  });

  it("seals the same secret twice under different data keys and IVs", async () => {
    const user = await newUser();
    const keyring = await keyringFromEnv(env);
    const [a, b] = [recordId(), recordId()];
    await store(keyring, user.id, a, SECRET);
    await store(keyring, user.id, b, SECRET);
    const [rowA, rowB] = [(await rawRow(a))!, (await rawRow(b))!];
    expect(rowA.wrapped_key).not.toBe(rowB.wrapped_key);
    expect(rowA.iv).not.toBe(rowB.iv);
    expect(rowA.ciphertext).not.toBe(rowB.ciphertext);
  });

  it("a wrong master key fails loudly, naming the key ids and never the keys", async () => {
    const user = await newUser();
    const right = await keyringFromEnv(env);
    const id = recordId();
    await store(right, user.id, id, SECRET);

    const otherText = generateMasterKeyText();
    const wrong = await loadKeyring({ current: otherText });
    const error = await vaultError(readSecret(env.DB, wrong, { ownerId: user.id, recordId: id }));
    expect(error.kind).toBe("master_key_unknown");
    expect(error.message).toContain(right.current.id);
    expect(error.message).toContain(wrong.current.id);
    expect(error.message).not.toContain(otherText);
    expect(error.message).not.toContain(env.KILN_MASTER_KEY!);

    // Even if the recorded id is forged to match the wrong key, AES-KW's integrity check refuses it.
    await env.DB.prepare("UPDATE vault_secrets SET key_id = ? WHERE record_id = ?").bind(wrong.current.id, id).run();
    expect((await vaultError(readSecret(env.DB, wrong, { ownerId: user.id, recordId: id }))).kind).toBe(
      "unwrap_failed",
    );
  });

  it("a missing or malformed master key is an operator error, not an empty vault", async () => {
    const missing = await vaultError(loadKeyring({}));
    expect(missing.kind).toBe("master_key_missing");
    expect(missing.message).toContain("KILN_MASTER_KEY");
    expect((await vaultError(keyringFromEnv({ KILN_MASTER_KEY: "" }))).kind).toBe("master_key_missing");

    const malformedValue = "not-a-key-but-a-password-someone-pasted";
    const malformed = await vaultError(loadKeyring({ current: malformedValue }));
    expect(malformed.kind).toBe("master_key_invalid");
    expect(malformed.message).not.toContain(malformedValue);
    const badPrevious = await vaultError(
      loadKeyring({ current: generateMasterKeyText(), previous: btoa("too short") }),
    );
    expect(badPrevious.message).toContain("KILN_MASTER_KEY_PREVIOUS");

    const user = await newUser();
    const id = recordId();
    expect(
      (await vaultError(readSecret(env.DB, await keyringFromEnv(env), { ownerId: user.id, recordId: id }))).kind,
    ).toBe("secret_missing");
  });

  it("binds owner and record: a ciphertext moved to another row or read for another owner does not decrypt", async () => {
    const [alice, bob] = [await newUser(), await newUser()];
    const keyring = await keyringFromEnv(env);
    const [aliceRecord, aliceOther, bobRecord] = [recordId(), recordId(), recordId()];
    await store(keyring, alice.id, aliceRecord, SECRET);
    await store(keyring, alice.id, aliceOther, "another secret");
    await store(keyring, bob.id, bobRecord, "bob's secret");

    const copy = (from: string, to: string) =>
      env.DB.prepare(
        `UPDATE vault_secrets SET (ciphertext, iv, wrapped_key, key_id) =
           (SELECT ciphertext, iv, wrapped_key, key_id FROM vault_secrets WHERE record_id = ?) WHERE record_id = ?`,
      )
        .bind(from, to)
        .run();
    await copy(aliceRecord, aliceOther);
    await copy(aliceRecord, bobRecord);

    expect((await vaultError(readSecret(env.DB, keyring, { ownerId: alice.id, recordId: aliceOther }))).kind).toBe(
      "decrypt_failed",
    );
    expect((await vaultError(readSecret(env.DB, keyring, { ownerId: bob.id, recordId: bobRecord }))).kind).toBe(
      "decrypt_failed",
    );
    expect((await vaultError(readSecret(env.DB, keyring, { ownerId: bob.id, recordId: aliceRecord }))).kind).toBe(
      "decrypt_failed",
    );
    expect(await readSecret(env.DB, keyring, { ownerId: alice.id, recordId: aliceRecord })).toBe(SECRET);
  });

  it("rotation re-wraps every data key under the new master key and leaves every ciphertext as it was", async () => {
    const user = await newUser();
    const oldKeyring = await loadKeyring({ current: generateMasterKeyText() });
    const newKeyText = generateMasterKeyText();
    const newKey = await importMasterKey(newKeyText, "KILN_MASTER_KEY");
    const secrets = new Map(
      [recordId(), recordId(), recordId()].map((id, i) => [id, `secret number ${i} for rotation`]),
    );
    for (const [id, secret] of secrets) await store(oldKeyring, user.id, id, secret);
    const before = new Map(
      await Promise.all([...secrets.keys()].map(async (id) => [id, (await rawRow(id))!] as const)),
    );

    // The same plan the rotation script runs, limited to this test's rows (other tests share the database).
    const { results } = await env.DB.prepare(WRAPPED_KEYS_QUERY).all<WrappedKeyRow>();
    const rows = results.filter((row) => secrets.has(row.recordId));
    expect(rows).toHaveLength(3);
    const plan = await planRotation(rows, [oldKeyring.current], newKey);
    expect(plan.rewrapped).toBe(3);
    await env.DB.batch(plan.statements.map((sql) => env.DB.prepare(sql)));

    // A Worker with only the new key reads every secret; the old key alone no longer does.
    const rotated = await loadKeyring({ current: newKeyText });
    for (const [id, secret] of secrets) {
      const row = (await rawRow(id))!;
      expect(row.key_id).toBe(newKey.id);
      expect(row.wrapped_key).not.toBe(before.get(id)!.wrapped_key);
      expect(row.ciphertext).toBe(before.get(id)!.ciphertext);
      expect(row.iv).toBe(before.get(id)!.iv);
      expect(await readSecret(env.DB, rotated, { ownerId: user.id, recordId: id })).toBe(secret);
      expect((await vaultError(readSecret(env.DB, oldKeyring, { ownerId: user.id, recordId: id }))).kind).toBe(
        "master_key_unknown",
      );
    }
    // Running it again changes nothing.
    const again = await planRotation(
      (await env.DB.prepare(WRAPPED_KEYS_QUERY).all<WrappedKeyRow>()).results.filter((row) =>
        secrets.has(row.recordId),
      ),
      [oldKeyring.current],
      newKey,
    );
    expect(again).toMatchObject({ rewrapped: 0, alreadyCurrent: 3, statements: [] });
    const usage = (await env.DB.prepare(KEY_USAGE_QUERY).all<{ keyId: string; count: number }>()).results;
    expect(usage.find((entry) => entry.keyId === oldKeyring.current.id)).toBeUndefined();
  });

  it("during a rotation the Worker opens secrets under either key and seals new ones under the current key", async () => {
    const user = await newUser();
    const oldText = generateMasterKeyText();
    const newText = generateMasterKeyText();
    const id = recordId();
    await store(await loadKeyring({ current: oldText }), user.id, id, SECRET);

    const during = await keyringFromEnv({ KILN_MASTER_KEY: newText, KILN_MASTER_KEY_PREVIOUS: oldText });
    expect(await readSecret(env.DB, during, { ownerId: user.id, recordId: id })).toBe(SECRET);
    const fresh = recordId();
    await store(during, user.id, fresh, "sealed during rotation");
    expect((await rawRow(fresh))!.key_id).toBe(during.current.id);
  });

  it("rotation stops before writing anything when a data key is under a master key it does not know", async () => {
    const user = await newUser();
    const [a, stranger] = [
      await loadKeyring({ current: generateMasterKeyText() }),
      await loadKeyring({ current: generateMasterKeyText() }),
    ];
    const [known, unknown] = [recordId(), recordId()];
    await store(a, user.id, known, "one");
    await store(stranger, user.id, unknown, "two");
    const rows = (await env.DB.prepare(WRAPPED_KEYS_QUERY).all<WrappedKeyRow>()).results.filter(
      (row) => row.recordId === known || row.recordId === unknown,
    );
    const target = await importMasterKey(generateMasterKeyText(), "KILN_MASTER_KEY");
    const error = await vaultError(planRotation(rows, [a.current], target));
    expect(error.kind).toBe("master_key_unknown");
    expect(error.message).toContain(stranger.current.id);
  });
});
