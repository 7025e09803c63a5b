// What the last button pressed on a service's card did. Form actions return it;
// the page shows it beside that card. It never carries a key.

/** Which button produced an outcome. */
export type CardAction = "connect" | "demo" | "google" | "test" | "disconnect" | "confirm_disconnect";

/** The result of one card action, in the API's words. */
export interface CardOutcome {
  connector: string;
  action: CardAction;
  ok: boolean;
  message: string;
  /** Set when a key works, but with limited permissions (a Stripe restricted key). */
  warning?: string;
  /** Google: where the browser goes next to allow access. */
  authorizationUrl?: string;
}
