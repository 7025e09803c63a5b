// The money objects the fake stores and returns: payment intents, the charges
// they make, the balance transactions those move, refunds and the balance.
// Typed as picks of the official `stripe` package's types, like objects.ts.
import type Stripe from "stripe";

/** A payment, as a succeeded card payment leaves it; references are ids. */
export type FakePaymentIntent = Pick<
  Stripe.PaymentIntent,
  | "id"
  | "object"
  | "allowed_payment_method_types"
  | "amount"
  | "amount_capturable"
  | "amount_received"
  | "application_fee_amount"
  | "automatic_payment_methods"
  | "canceled_at"
  | "cancellation_reason"
  | "capture_method"
  | "client_secret"
  | "confirmation_method"
  | "created"
  | "currency"
  | "customer_account"
  | "description"
  | "excluded_payment_method_types"
  | "last_payment_error"
  | "livemode"
  | "managed_payments"
  | "metadata"
  | "next_action"
  | "payment_method_configuration_details"
  | "payment_method_options"
  | "payment_method_types"
  | "processing"
  | "receipt_email"
  | "setup_future_usage"
  | "shipping"
  | "statement_descriptor"
  | "statement_descriptor_suffix"
  | "status"
  | "transfer_data"
  | "transfer_group"
> & {
  application: null;
  customer: string | null;
  latest_charge: string | null;
  on_behalf_of: null;
  payment_method: string | null;
  payment_record: null;
  review: null;
  source: null;
};

/** The card a fake charge was paid with (Stripe's test Visa 4242). */
export type FakeCardDetails = Pick<
  Stripe.Charge.PaymentMethodDetails.Card,
  | "amount_authorized"
  | "authorization_code"
  | "brand"
  | "checks"
  | "country"
  | "exp_month"
  | "exp_year"
  | "fingerprint"
  | "funding"
  | "installments"
  | "last4"
  | "mandate"
  | "network"
  | "network_transaction_id"
  | "regulated_status"
  | "three_d_secure"
  | "transaction_link_id"
  | "wallet"
>;

/** A succeeded card charge: what apps sum and refund. Expandable fields are ids here. */
export type FakeCharge = Pick<
  Stripe.Charge,
  | "id"
  | "object"
  | "amount"
  | "amount_captured"
  | "amount_refunded"
  | "application_fee_amount"
  | "billing_details"
  | "calculated_statement_descriptor"
  | "captured"
  | "created"
  | "currency"
  | "description"
  | "disputed"
  | "failure_code"
  | "failure_message"
  | "fraud_details"
  | "livemode"
  | "metadata"
  | "outcome"
  | "paid"
  | "payment_method"
  | "receipt_email"
  | "receipt_number"
  | "receipt_url"
  | "refunded"
  | "shipping"
  | "statement_descriptor"
  | "statement_descriptor_suffix"
  | "status"
  | "transfer_data"
  | "transfer_group"
> & {
  application: null;
  application_fee: null;
  balance_transaction: string | null;
  customer: string | null;
  failure_balance_transaction: null;
  on_behalf_of: null;
  payment_intent: string | null;
  payment_method_details: { type: "card"; card: FakeCardDetails };
  review: null;
  source: null;
  source_transfer: null;
};

/** One movement of the account balance (a charge in, a refund out), with its fee and net. */
export type FakeBalanceTransaction = Pick<
  Stripe.BalanceTransaction,
  | "id"
  | "object"
  | "amount"
  | "available_on"
  | "balance_type"
  | "created"
  | "currency"
  | "description"
  | "exchange_rate"
  | "fee"
  | "fee_details"
  | "net"
  | "reporting_category"
  | "status"
  | "type"
> & { source: string };

/** Money given back on a charge; `balance_transaction` is the negative movement it made. */
export type FakeRefund = Pick<
  Stripe.Refund,
  | "id"
  | "object"
  | "amount"
  | "created"
  | "currency"
  | "customer_account"
  | "metadata"
  | "reason"
  | "receipt_number"
  | "status"
> & {
  balance_transaction: string | null;
  charge: string | null;
  customer: string | null;
  payment_intent: string | null;
  payment_method: string | null;
  source_transfer_reversal: null;
  transfer_reversal: null;
};

/** The account balance: what is available and pending, per currency. */
export type FakeBalance = Pick<Stripe.Balance, "object" | "available" | "livemode" | "pending">;

/** One payment of an invoice: links the invoice to the payment intent that paid it. */
export type FakeInvoicePayment = Pick<
  Stripe.InvoicePayment,
  | "id"
  | "object"
  | "amount_paid"
  | "amount_requested"
  | "created"
  | "currency"
  | "is_default"
  | "livemode"
  | "status"
  | "status_transitions"
> & { invoice: string; payment: { type: "payment_intent"; payment_intent: string } };
