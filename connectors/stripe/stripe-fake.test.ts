// The Stripe fake refuses what Stripe refuses, so a client bug cannot pass
// the other tests by accident. Raw requests, through the proxy-like fetch.
import { describe, expect, it } from "vitest";
import { proxyLikeFetch } from "../testing/proxy-like-fetch";
import { FAKE_STRIPE_SECRET_KEY } from "./fake/credentials";
import { stripeRule } from "./rule";
import { fakeBase, unique } from "./stripe-test-client";

const api = (path: string, init?: RequestInit) =>
  proxyLikeFetch(stripeRule, { upstreamBase: fakeBase(), credential: FAKE_STRIPE_SECRET_KEY })(
    `https://api.stripe.com${path}`,
    init,
  );
const form = (body: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body,
});

async function errorOf(response: Response): Promise<{ status: number; error: Record<string, unknown> }> {
  return { status: response.status, error: ((await response.json()) as { error: Record<string, unknown> }).error };
}

describe("the Stripe fake", () => {
  it("asks for a key when none is sent", async () => {
    const response = await fetch(`${fakeBase()}/v1/customers`);
    const { status, error } = await errorOf(response);
    expect(status).toBe(401);
    expect(error).toEqual({
      type: "invalid_request_error",
      message: expect.stringMatching(/^You did not provide an API key\./),
    });
  });

  it("refuses unknown and malformed params, and non-form bodies", async () => {
    expect(await errorOf(await api("/v1/customers", form("emial=a%40b.co")))).toEqual({
      status: 400,
      error: {
        type: "invalid_request_error",
        code: "parameter_unknown",
        param: "emial",
        message: "Received unknown parameter: emial",
        doc_url: expect.any(String),
      },
    });
    expect(
      (await errorOf(await api("/v1/prices", form("currency=usd&unit_amount=12.5&product_data[name]=x")))).error,
    ).toMatchObject({ code: "parameter_invalid_integer", param: "unit_amount", message: "Invalid integer: 12.5" });
    expect((await errorOf(await api("/v1/prices", form("unit_amount=100&product_data[name]=x")))).error).toMatchObject({
      code: "parameter_missing",
      param: "currency",
      message: "Missing required param: currency.",
    });
    const json = await api("/v1/customers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "a@b.co" }),
    });
    expect((await errorOf(json)).error.message).toMatch(/^Invalid request: unsupported Content-Type application\/json/);
  });

  it("reads nested keys into hashes and lists", async () => {
    const name = unique("nested");
    const response = await api(
      "/v1/products",
      form(
        `name=${name}&default_price_data[currency]=eur&default_price_data[unit_amount]=700&default_price_data[recurring][interval]=week&default_price_data[recurring][interval_count]=2&images[0]=https%3A%2F%2Fa.example%2F1.png&images[1]=https%3A%2F%2Fa.example%2F2.png`,
      ),
    );
    const product = (await response.json()) as { id: string; default_price: string; images: string[] };
    expect(product.images).toEqual(["https://a.example/1.png", "https://a.example/2.png"]);
    const price = (await (await api(`/v1/prices/${product.default_price}`)).json()) as Record<string, unknown>;
    expect(price).toMatchObject({
      product: product.id,
      currency: "eur",
      unit_amount: 700,
      recurring: { interval: "week", interval_count: 2 },
    });
  });

  it("answers unknown paths and ids like Stripe", async () => {
    expect((await errorOf(await api("/v1/nothing"))).error.message).toBe(
      "Unrecognized request URL (GET: /v1/nothing). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.",
    );
    expect(await errorOf(await api("/v1/prices/price_missing"))).toMatchObject({
      status: 404,
      error: { code: "resource_missing", message: "No such price: 'price_missing'" },
    });
  });
});
