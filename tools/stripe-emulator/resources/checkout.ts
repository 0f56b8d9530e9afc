/**
 * /v1/checkout/sessions in `subscription` and `payment` mode: create, retrieve, list, line
 * items, expire; and `completeSession`, what the hosted page does when the card is accepted.
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { emit } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { discountOff, findPromotionCode, promotionCodeProblem, resolveDiscount, type Redeemable } from "../discounts";
import { StripeApiError, invalidRequest } from "../errors";
import { startSubscription } from "../lifecycle";
import { paginate } from "../list";
import { boolParam, expandParam, initialMetadata, intParam, listParams, metadataParam, nonEmptyString, parseParams, stringParam } from "../params";
import { recordCheckoutPayment } from "../payments";
import { render } from "../render";
import type { CardOutcome } from "../cards";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";
import { createCustomer } from "./customers";
import { createPrice } from "./prices";
import { priceDataSchema } from "./price-params";
import { createProduct } from "./products";

const url = z.string().max(5000).refine((value) => /^https?:\/\/[^\s]+$/.test(value), { error: "Not a valid URL" });

const createSchema = z.strictObject({
  mode: z.enum(["subscription", "payment", "setup"]),
  customer: nonEmptyString.optional(),
  customer_email: stringParam.max(512).refine((v) => /^[^\s@]+@[^\s@]+$/.test(v), { error: "Invalid email address" }).optional(),
  client_reference_id: stringParam.max(200).optional(),
  metadata: metadataParam.optional(),
  line_items: z
    .array(
      z.strictObject({
        price: nonEmptyString.optional(),
        // An inline price (one-off or recurring) for a new product, as Stripe makes for `price_data`.
        price_data: priceDataSchema
          .omit({ unit_amount_decimal: true })
          .extend({ product: nonEmptyString.optional(), product_data: z.strictObject({ name: nonEmptyString.max(250), description: stringParam.max(40_000).optional(), metadata: metadataParam.optional() }).optional() })
          .optional(),
        quantity: intParam.pipe(z.number().min(1).max(999_999)).optional(),
      }),
    )
    .min(1)
    .optional(),
  payment_intent_data: z.strictObject({ metadata: metadataParam.optional(), description: stringParam.max(1000).optional() }).optional(),
  customer_creation: z.enum(["always", "if_required"]).optional(),
  subscription_data: z
    .strictObject({
      trial_period_days: intParam.pipe(z.number().min(1).max(730)).optional(),
      metadata: metadataParam.optional(),
      description: stringParam.max(500).optional(),
      billing_mode: z.strictObject({ type: z.enum(["classic", "flexible"]) }).optional(),
    })
    .optional(),
  allow_promotion_codes: boolParam.optional(),
  discounts: z
    .array(z.strictObject({ coupon: nonEmptyString.optional(), promotion_code: nonEmptyString.optional() }))
    .max(1, { error: "The Stripe emulator supports one discount per checkout session" })
    .optional(),
  success_url: url.optional(),
  cancel_url: url.optional(),
  expires_at: intParam.optional(),
  locale: stringParam.optional(),
  // Stripe's 2026-10-28.endive name for the hosted page; embedded and custom UIs are not emulated.
  ui_mode: z.enum(["hosted_page", "embedded_page", "elements", "form"]).optional(),
  billing_address_collection: z.enum(["auto", "required"]).optional(),
  payment_method_types: z.array(stringParam).optional(),
  payment_method_collection: z.enum(["always", "if_required"]).optional(),
  // Accepted and ignored: the emulator collects no tax, address or consent.
  customer_update: z.unknown().optional(),
  automatic_tax: z.unknown().optional(),
  tax_id_collection: z.unknown().optional(),
  consent_collection: z.unknown().optional(),
  // Shown on the page as Stripe does (`submit`: above the Pay button); at most 1200 characters.
  custom_text: z
    .strictObject({ submit: z.union([z.literal("").transform(() => null), z.strictObject({ message: stringParam.min(1).max(1200) })]).optional() })
    .optional(),
  expand: expandParam,
});

const listSchema = z.strictObject({
  ...listParams,
  customer: stringParam.optional(),
  subscription: stringParam.optional(),
  status: z.enum(["open", "complete", "expired"]).optional(),
  payment_intent: stringParam.optional(),
});

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  const state = em.store.state;
  if (p.mode === "setup") {
    throw invalidRequest("The Stripe emulator does not support mode=setup.", "mode");
  }
  if (p.mode === "payment" && p.subscription_data !== undefined) {
    throw invalidRequest("You can not pass `subscription_data` in `payment` mode.", "subscription_data");
  }
  if (p.mode === "subscription" && p.payment_intent_data !== undefined) {
    throw invalidRequest("You can not pass `payment_intent_data` in `subscription` mode.", "payment_intent_data");
  }
  if (p.mode === "subscription" && p.customer_creation !== undefined) {
    throw invalidRequest("`customer_creation` can only be used in `payment` mode.", "customer_creation");
  }
  if (p.ui_mode !== undefined && p.ui_mode !== "hosted_page") {
    throw invalidRequest(`The Stripe emulator only supports ui_mode=hosted_page (got ${p.ui_mode}).`, "ui_mode");
  }
  if (p.customer !== undefined && p.customer_email !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: customer, customer_email.", "customer_email");
  }
  if (p.customer !== undefined) mustGet(state.customers, p.customer, "customer", "customer", 400);
  if (!p.line_items) throw invalidRequest("Missing required param: line_items.", "line_items", "parameter_missing");
  if (p.line_items.length !== 1) {
    throw invalidRequest("The Stripe emulator supports exactly one line item per checkout session.", "line_items");
  }
  if (!p.success_url) throw invalidRequest("Missing required param: success_url.", "success_url", "parameter_missing");
  const lineItem = p.line_items[0]!;
  const price = lineItemPrice(em, lineItem);
  if (p.mode === "subscription" && !price.recurring) {
    throw invalidRequest(
      "You must provide at least one recurring price in `subscription` mode when using prices.",
      "line_items[0][price]",
    );
  }
  if (p.mode === "payment" && price.recurring) {
    throw invalidRequest(
      "You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.",
      "line_items[0][price]",
    );
  }
  const now = em.clock.now();
  if (p.expires_at !== undefined && (p.expires_at < now + 1800 || p.expires_at > now + 86_400)) {
    throw invalidRequest("The `expires_at` timestamp must be between 30 minutes and 24 hours from now.", "expires_at");
  }
  const quantity = lineItem.quantity ?? 1;
  const trialDays = p.subscription_data?.trial_period_days ?? null;
  const subtotal = (price.unit_amount ?? 0) * quantity;
  if (p.discounts?.length && p.allow_promotion_codes) {
    throw invalidRequest("You may only specify one of these parameters: allow_promotion_codes, discounts.", "discounts");
  }
  const requested = p.discounts?.[0];
  const discount = requested ? resolveDiscount(em, requested, { customer: p.customer ?? null, currency: price.currency, subtotal }, "discounts[0]") : null;
  const off = discount && !trialDays ? discountOff(discount.coupon, subtotal) : 0;
  const total = trialDays ? 0 : subtotal - off;
  const id = newId("checkoutSession");
  const session: Stripe.Checkout.Session = {
    id,
    object: "checkout.session",
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: p.allow_promotion_codes ?? null,
    allowed_payment_method_types: null,
    amount_subtotal: subtotal,
    amount_total: total,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: p.billing_address_collection ?? null,
    cancel_url: p.cancel_url ?? null,
    client_reference_id: p.client_reference_id ?? null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: now,
    currency: price.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: p.custom_text?.submit ? { message: p.custom_text.submit.message } : null, terms_of_service_acceptance: null },
    customer: p.customer ?? null,
    customer_account: null,
    customer_creation: p.mode === "payment" ? (p.customer_creation ?? "if_required") : null,
    customer_details: null,
    customer_email: p.customer_email ?? null,
    discounts: discount ? [{ coupon: discount.coupon.id, promotion_code: discount.promotionCode?.id ?? null }] : [],
    expires_at: p.expires_at ?? now + 86_400,
    integration_identifier: null,
    invoice: null,
    invoice_creation: null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: initialMetadata(p.metadata),
    mode: p.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: p.mode === "subscription" ? (p.payment_method_collection ?? "always") : null,
    payment_method_configuration_details: null,
    payment_method_options: {},
    payment_method_types: ["card"],
    payment_status: "unpaid",
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: "open",
    submit_type: null,
    subscription: null,
    success_url: p.success_url,
    total_details: { amount_discount: off, amount_shipping: 0, amount_tax: 0 },
    ui_mode: "hosted_page",
    url: `${em.baseUrl}/c/pay/${id}`,
    wallet_options: null,
  };
  const productId = typeof price.product === "string" ? price.product : price.product.id;
  state.checkout_line_items[id] = [
    {
      id: newId("checkoutLineItem"),
      object: "item",
      adjustable_quantity: null,
      amount_discount: off,
      amount_subtotal: subtotal,
      amount_tax: 0,
      amount_total: subtotal - off,
      currency: price.currency,
      description: state.products[productId]?.name ?? null,
      metadata: {},
      price: structuredClone(price),
      quantity,
    },
  ];
  if (p.mode === "subscription") {
    state.checkout_subscription_data[id] = {
      trial_period_days: trialDays,
      metadata: initialMetadata(p.subscription_data?.metadata),
      description: p.subscription_data?.description ?? null,
      billing_mode: p.subscription_data?.billing_mode?.type ?? "classic",
    };
  } else {
    state.checkout_payment_data[id] = { metadata: initialMetadata(p.payment_intent_data?.metadata), description: p.payment_intent_data?.description ?? null };
  }
  state.checkout_sessions[id] = session;
  em.store.changed();
  return expand(em, render(em, session), p.expand);
};

type LineItemParam = NonNullable<z.infer<typeof createSchema>["line_items"]>[number];

/** The line item's price: an active one by id, or an inline one made from `price_data` (inactive, as Stripe leaves them). */
function lineItemPrice(em: Emulator, item: LineItemParam): Stripe.Price {
  const state = em.store.state;
  if (item.price !== undefined && item.price_data !== undefined) {
    throw invalidRequest("You may only specify one of these parameters: price, price_data.", "line_items[0][price_data]");
  }
  if (item.price !== undefined) {
    const price = mustGet(state.prices, item.price, "price", "line_items[0][price]", 400);
    if (!price.active) {
      throw invalidRequest("The price specified is inactive. This field only accepts active prices.", "line_items[0][price]");
    }
    return price;
  }
  const data = item.price_data;
  if (!data) throw invalidRequest("You must specify either `price` or `price_data` in each line item.", "line_items[0]", "parameter_missing");
  if ((data.product === undefined) === (data.product_data === undefined)) {
    throw invalidRequest("You must specify exactly one of `product` or `product_data` in `price_data`.", "line_items[0][price_data][product_data]");
  }
  const product = data.product !== undefined
    ? mustGet(state.products, data.product, "product", "line_items[0][price_data][product]", 400)
    : createProduct(em, data.product_data!.name, (created) => {
        created.active = false;
        created.description = data.product_data!.description ?? null;
        created.metadata = initialMetadata(data.product_data!.metadata);
      });
  const { product: _product, product_data: _data, ...priceData } = data;
  return createPrice(em, product, priceData, { active: false });
}

export const retrieve = retrieveHandler((state) => state.checkout_sessions, "checkout.session");

export const list = listHandler(listSchema, "checkout_sessions", { url: "/v1/checkout/sessions", kind: "checkout.session" }, {
  equal: ["customer", "subscription", "status"],
});

export const lineItems: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject(listParams), params);
  const session = mustGet(em.store.state.checkout_sessions, pathId(path), "checkout.session");
  const items = structuredClone(em.store.state.checkout_line_items[session.id] ?? []);
  return expand(em, paginate(items, p, `/v1/checkout/sessions/${session.id}/line_items`, "line item"), p.expand);
};

export const expire: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject({ expand: expandParam }), params);
  const session = mustGet(em.store.state.checkout_sessions, pathId(path), "checkout.session");
  if (session.status !== "open") {
    throw invalidRequest("Only Checkout Sessions with a status of `open` can be expired.", "session");
  }
  session.status = "expired";
  emit(em, "checkout.session.expired", render(em, session));
  em.store.changed();
  return expand(em, render(em, session), p.expand);
};

/** Where the browser goes after a successful payment. */
export function successRedirect(session: Stripe.Checkout.Session): string {
  return (session.success_url ?? "").replace(/\{CHECKOUT_SESSION_ID\}/g, session.id);
}

export type CompletionResult = { ok: true; redirect: string } | { ok: false; message: string };

/**
 * The hosted page's "Pay": with an accepted card, creates the customer if needed, saves the
 * card, starts the subscription (first invoice paid) and completes the session.
 */
export function completeSession(
  em: Emulator,
  session: Stripe.Checkout.Session,
  input: { email: string; card: CardOutcome; promotionCode?: string },
): CompletionResult {
  const state = em.store.state;
  if (session.status !== "open") return { ok: false, message: "This checkout session is no longer open." };
  if (!input.card.ok) return { ok: false, message: input.card.message };
  const lineItem = state.checkout_line_items[session.id]?.[0];
  const price = lineItem?.price ? state.prices[lineItem.price.id] : undefined;
  if (!lineItem || !price) return { ok: false, message: "This checkout session has no price." };
  if (session.mode === "payment") return completePayment(em, session, input.email);
  if (!price.active) return { ok: false, message: "This plan is no longer available." };

  const existing = typeof session.customer === "string" ? session.customer : null;
  const redeemable = discountAtCompletion(em, session, price, existing, input.promotionCode ?? "");
  if (typeof redeemable === "string") return { ok: false, message: redeemable };
  let customer = existing ? state.customers[existing] : undefined;
  if (!customer) {
    customer = createCustomer(em, { email: session.customer_email ?? input.email });
  }
  const paymentMethod = newId("paymentMethod");
  state.cards[customer.id] = {
    payment_method: paymentMethod,
    brand: input.card.brand,
    last4: input.card.last4,
    behavior: input.card.behavior,
    charges: 0,
  };
  const setup = state.checkout_subscription_data[session.id];
  const subscription = startSubscription(em, {
    customer: customer.id,
    price,
    quantity: lineItem.quantity ?? 1,
    trialDays: setup?.trial_period_days ?? null,
    metadata: setup?.metadata ?? {},
    description: setup?.description ?? null,
    billingMode: setup?.billing_mode ?? "classic",
    discounts: redeemable ? [redeemable] : [],
    checkoutSession: session.id,
  });
  if (redeemable && session.discounts?.length === 0) recordTypedCode(em, session, redeemable);
  session.customer = customer.id;
  session.subscription = subscription.id;
  session.payment_status = session.amount_total === 0 ? "no_payment_required" : "paid";
  return markSessionComplete(em, session, { email: customer.email, name: customer.name ?? null });
}

/**
 * A `payment` mode session paid: one PaymentIntent for its total (no customer is made unless
 * `customer_creation=always`, as Stripe's guest payments), then the session completes.
 */
function completePayment(em: Emulator, session: Stripe.Checkout.Session, typedEmail: string): CompletionResult {
  const state = em.store.state;
  const email = session.customer_email ?? typedEmail;
  let customer = typeof session.customer === "string" ? state.customers[session.customer] : undefined;
  if (!customer && session.customer_creation === "always") customer = createCustomer(em, { email });
  const data = state.checkout_payment_data[session.id];
  const intent = recordCheckoutPayment(em, {
    amount: session.amount_total ?? 0,
    currency: session.currency ?? "usd",
    customer: customer?.id ?? null,
    metadata: data?.metadata ?? {},
    description: data?.description ?? null,
    email: customer?.email ?? email,
  });
  session.customer = customer?.id ?? null;
  session.payment_intent = intent.id;
  session.payment_status = "paid";
  return markSessionComplete(em, session, { email: customer?.email ?? email, name: customer?.name ?? null });
}

/** Both modes' last step: the payer's details on the session, which completes (and says so) once. */
function markSessionComplete(em: Emulator, session: Stripe.Checkout.Session, payer: { email: string | null; name: string | null }): CompletionResult {
  session.status = "complete";
  session.customer_details = {
    address: null,
    business_name: null,
    email: payer.email,
    individual_name: null,
    name: payer.name,
    phone: null,
    tax_exempt: "none",
    tax_ids: [],
  };
  session.url = null;
  emit(em, "checkout.session.completed", render(em, session));
  em.store.changed();
  return { ok: true, redirect: successRedirect(session) };
}

/**
 * The discount to redeem on completion, checked again now (a code may have run out since the
 * session was made), or one the reader typed when `allow_promotion_codes` is on. A string is
 * the reason it cannot be used.
 */
function discountAtCompletion(em: Emulator, session: Stripe.Checkout.Session, price: Stripe.Price, customer: string | null, typed: string): Redeemable | null | string {
  const subtotal = session.amount_subtotal;
  const context = { customer, currency: price.currency, subtotal };
  const chosen = session.discounts?.[0];
  if (chosen) {
    const idOf = (value: string | { id: string } | null) => (value === null ? undefined : typeof value === "string" ? value : value.id);
    const request = chosen.promotion_code ? { promotion_code: idOf(chosen.promotion_code) } : { coupon: idOf(chosen.coupon) };
    try {
      return resolveDiscount(em, request, context, "discounts[0]");
    } catch (error) {
      if (error instanceof StripeApiError) return error.message;
      throw error;
    }
  }
  if (typed.trim() === "" || !session.allow_promotion_codes) return null;
  const promo = findPromotionCode(em, typed);
  if (!promo) return "This code is invalid.";
  const problem = promotionCodeProblem(em, promo, context);
  if (problem) return problem;
  const coupon = em.store.state.coupons[typeof promo.promotion.coupon === "string" ? promo.promotion.coupon : (promo.promotion.coupon?.id ?? "")];
  return coupon ? { coupon, promotionCode: promo } : "This code is invalid.";
}

/** A code typed on the page becomes the session's discount, with its totals. */
function recordTypedCode(em: Emulator, session: Stripe.Checkout.Session, redeemable: Redeemable): void {
  const trial = em.store.state.checkout_subscription_data[session.id]?.trial_period_days ?? null;
  const off = trial ? 0 : discountOff(redeemable.coupon, session.amount_subtotal ?? 0);
  session.discounts = [{ coupon: redeemable.coupon.id, promotion_code: redeemable.promotionCode?.id ?? null }];
  session.amount_total = (session.amount_subtotal ?? 0) - off;
  session.total_details = { amount_discount: off, amount_shipping: 0, amount_tax: 0 };
  for (const item of em.store.state.checkout_line_items[session.id] ?? []) {
    item.amount_discount = off;
    item.amount_total = item.amount_subtotal - off;
  }
}
