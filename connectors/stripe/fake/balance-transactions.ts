// /v1/balance_transactions (every movement of the account's balance: one per
// succeeded charge, one per refund) and /v1/balance (their sum).
//
// Fees: a charge's transaction carries Stripe's standard US card fee, 2.9% of
// the amount (rounded to the nearest unit) plus 30, in every currency; refunds
// carry none (Stripe keeps the original fee). Funds are available at once:
// `available_on` is `created` and `status` is "available", so nothing is pending.
import { readCurrency } from "./catalog.ts";
import { byCreated, readCreatedFilter } from "./listing.ts";
import type { FakeBalance, FakeBalanceTransaction } from "./payment-objects.ts";
import { route, type FakeRoute } from "./routing.ts";
import { listPage, mustFind, newId, type FakeStripeState } from "./store.ts";
import { noSuch } from "./stripe-errors.ts";

/** Stripe's fee on a card charge of `amount`: 2.9% + 30 (see the top of this file). */
export function cardFee(amount: number): number {
  return Math.round(amount * 0.029) + 30;
}

/** What moved the balance: a charge (money in, less the fee) or a refund (money out). */
export interface BalanceMovement {
  type: "charge" | "refund";
  /** Positive for a charge, negative for a refund. */
  amount: number;
  currency: string;
  created: number;
  /** The charge or refund id. */
  source: string;
  description: string | null;
}

/** Records one balance transaction for a charge or refund and returns it. */
export function addBalanceTransaction(state: FakeStripeState, movement: BalanceMovement): FakeBalanceTransaction {
  const fee = movement.type === "charge" ? cardFee(movement.amount) : 0;
  const transaction: FakeBalanceTransaction = {
    id: newId("txn"),
    object: "balance_transaction",
    amount: movement.amount,
    available_on: movement.created,
    balance_type: "payments",
    created: movement.created,
    currency: movement.currency,
    description: movement.description,
    exchange_rate: null,
    fee,
    fee_details:
      fee === 0
        ? []
        : [
            {
              amount: fee,
              application: null,
              currency: movement.currency,
              description: "Stripe processing fees",
              type: "stripe_fee",
            },
          ],
    net: movement.amount - fee,
    reporting_category: movement.type,
    source: movement.source,
    status: "available",
    type: movement.type,
  };
  state.balanceTransactions.set(transaction.id, transaction);
  return transaction;
}

/** GET list and retrieve, and the balance: how apps reconcile what they received after fees and refunds. */
export const balanceTransactionRoutes: FakeRoute[] = [
  route("GET", "/v1/balance_transactions", ({ state, params }) => {
    const created = readCreatedFilter(params);
    const currency = readCurrency(params, "currency", false);
    const payout = params.string("payout");
    const source = params.string("source");
    const type = params.string("type");
    // The fake never pays out, so no payout id exists.
    if (payout !== undefined) throw noSuch("payout", payout, "payout");
    const all = byCreated(state.balanceTransactions.values()).filter(
      (transaction) =>
        created(transaction.created) &&
        (currency === undefined || transaction.currency === currency) &&
        (source === undefined || transaction.source === source) &&
        (type === undefined || transaction.type === type),
    );
    const page = listPage(all, params, "/v1/balance_transactions", "balance_transaction");
    params.done();
    return page;
  }),

  route("GET", "/v1/balance_transactions/:id", ({ state, params, ids: [id = ""] }) => {
    params.done();
    return mustFind(state.balanceTransactions, id, "balance transaction");
  }),

  route("GET", "/v1/balance", ({ state, params }): FakeBalance => {
    params.done();
    const byCurrency = new Map<string, number>();
    for (const transaction of state.balanceTransactions.values())
      byCurrency.set(transaction.currency, (byCurrency.get(transaction.currency) ?? 0) + transaction.net);
    if (byCurrency.size === 0) byCurrency.set("usd", 0);
    const available = [...byCurrency].map(([currency, amount]) => ({
      amount,
      currency,
      source_types: { card: amount },
    }));
    return {
      object: "balance",
      available,
      livemode: false,
      pending: available.map(({ currency }) => ({ amount: 0, currency, source_types: { card: 0 } })),
    };
  }),
];
