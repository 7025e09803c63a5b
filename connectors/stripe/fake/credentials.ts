// The keys the Stripe fake accepts. Pure constants, so workerd tests can import
// them to play the egress proxy's part (injecting the owner's key).

/** A full-access test-mode secret key, as an owner would paste from the dashboard. */
export const FAKE_STRIPE_SECRET_KEY = "sk_test_51KilnFakeSecretKey0000000000000abcd";

/**
 * A restricted key with every permission the connector's operations need but
 * not "Balance: Read": the fake answers GET /v1/balance with Stripe's 403 for it.
 */
export const FAKE_STRIPE_RESTRICTED_KEY = "rk_test_51KilnFakeRestrictedKey00000000000wxyz";

/** The account both keys belong to (named in Stripe's permission errors). */
export const FAKE_STRIPE_ACCOUNT_ID = "acct_1KilnFakeAccount";
