/**
 * /v1/subscriptions: retrieve, list, update (cancel at period end, price switch, discounts,
 * pause_collection, metadata), cancel, pause and resume.
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { invalidRequest } from "../errors";
import { expand } from "../expand";
import { applyCancelAtPeriodEnd, applySwitch, assertNotCanceled, cancelNow, customerIdOf, restartCycleNow, switchRestartsCycle, updateSubscription, validateSwitch } from "../lifecycle";
import { applyMetadata, boolParam, emptyable, expandParam, intParam, listParams, metadataParam, nonEmptyString, parseParams, rangeParam, stringParam } from "../params";
import { redeem, resolveDiscount } from "../discounts";
import { applyPeriodFromNow, billPeriodFromNow, pauseSubscription, resumeSubscription, type PeriodFromNow } from "../pausing";
import { renderSubscription } from "../render";
import { listHandler, mustGet, pathId, retrieveHandler } from "./common";

const feedback = z.enum([
  "customer_service",
  "low_quality",
  "missing_features",
  "other",
  "switched_service",
  "too_complex",
  "too_expensive",
  "unused",
]);

const cancellationDetails = z
  .strictObject({ comment: emptyable(stringParam.max(5000)).optional(), feedback: emptyable(feedback).optional() })
  .optional();

const updateSchema = z.strictObject({
  cancel_at_period_end: boolParam.optional(),
  cancellation_details: cancellationDetails,
  items: z
    .array(
      z.strictObject({
        id: nonEmptyString.optional(),
        price: nonEmptyString.optional(),
        quantity: intParam.pipe(z.number().min(1)).optional(),
      }),
    )
    .max(1, { error: "The Stripe emulator supports updating one item at a time" })
    .optional(),
  proration_behavior: z.enum(["none", "create_prorations", "always_invoice"]).optional(),
  payment_behavior: z.enum(["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"]).optional(),
  metadata: metadataParam.optional(),
  description: emptyable(stringParam.max(500)).optional(),
  discounts: emptyable(
    z.array(z.strictObject({ coupon: nonEmptyString.optional(), promotion_code: nonEmptyString.optional(), discount: nonEmptyString.optional() })).max(20),
  ).optional(),
  pause_collection: emptyable(
    z.strictObject({ behavior: z.enum(["keep_as_draft", "mark_uncollectible", "void"]), resumes_at: intParam.optional() }),
  ).optional(),
  trial_end: z.union([z.literal("now"), intParam]).optional(),
  billing_cycle_anchor: z.strictObject({ type: z.enum(["now", "unchanged"]) }).optional(),
  expand: expandParam,
});

const cancelSchema = z.strictObject({
  invoice_now: boolParam.optional(),
  prorate: boolParam.optional(),
  cancellation_details: cancellationDetails,
  expand: expandParam,
});

const statuses = ["active", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "trialing", "paused", "all", "ended"] as const;

const listSchema = z.strictObject({
  ...listParams,
  customer: stringParam.optional(),
  price: stringParam.optional(),
  status: z.enum(statuses).optional(),
  created: rangeParam,
  collection_method: z.enum(["charge_automatically", "send_invoice"]).optional(),
});

export const retrieve = retrieveHandler((state) => state.subscriptions, "subscription");

function statusMatches(subscription: Stripe.Subscription, status: (typeof statuses)[number] | undefined): boolean {
  if (status === "all") return true;
  if (status === "ended") return subscription.status === "canceled" || subscription.status === "incomplete_expired";
  if (status === undefined) return subscription.status !== "canceled" && subscription.status !== "incomplete_expired";
  return subscription.status === status;
}

export const list = listHandler(listSchema, "subscriptions", { url: "/v1/subscriptions", kind: "subscription" }, {
  equal: ["customer", "collection_method"],
  keep: (s, p) => statusMatches(s, p.status) && (p.price === undefined || s.items.data.some((item) => item.price.id === p.price)),
});

export const update: ApiHandler = (em, { params, path }) => {
  const subscription = mustGet(em.store.state.subscriptions, pathId(path), "subscription");
  const p = parseParams(updateSchema, params);
  const prices = em.store.state.prices;
  const switches: Array<{ item: Stripe.SubscriptionItem; price: Stripe.Price; quantity: number | undefined }> = [];
  for (const [index, change] of (p.items ?? []).entries()) {
    if (change.id === undefined) {
      throw invalidRequest("The Stripe emulator cannot add items to a subscription; pass items[0][id].", `items[${index}][id]`);
    }
    const priceId = change.price ?? subscription.items.data.find((i) => i.id === change.id)?.price.id ?? "";
    const price = mustGet(prices, priceId, "price", `items[${index}][price]`, 400);
    const item = validateSwitch(subscription, change.id, price, `items[${index}][id]`);
    switches.push({ item, price, quantity: change.quantity });
  }
  const discounts = p.discounts === undefined ? undefined : newDiscounts(em, subscription, p.discounts);
  if (p.pause_collection?.resumes_at !== undefined && p.pause_collection.resumes_at <= em.clock.now()) {
    throw invalidRequest("pause_collection[resumes_at] must be in the future.", "pause_collection[resumes_at]");
  }
  if (p.trial_end !== undefined) checkTrialEnd(em, subscription, p.trial_end);
  const changesBilling =
    p.cancel_at_period_end !== undefined ||
    switches.length > 0 ||
    p.description !== undefined ||
    discounts !== undefined ||
    p.pause_collection !== undefined ||
    p.trial_end !== undefined;
  const restarts = p.billing_cycle_anchor?.type === "now";
  if (changesBilling || restarts) assertNotCanceled(subscription, p.cancel_at_period_end !== undefined ? "cancel_at_period_end" : restarts ? "billing_cycle_anchor[type]" : "items");
  if (restarts && (subscription.status === "trialing" || switches.length > 0 || discounts !== undefined || p.trial_end !== undefined)) {
    throw invalidRequest("The Stripe emulator resets billing_cycle_anchor only on a subscription out of its trial, with no price, discount or trial change in the same request.", "billing_cycle_anchor[type]");
  }
  // The pause in force after this update decides how the new period's invoice is settled.
  const pauseAfter = p.pause_collection === undefined ? subscription.pause_collection : p.pause_collection && { behavior: p.pause_collection.behavior, resumes_at: p.pause_collection.resumes_at ?? null };
  const period: PeriodFromNow | null = restarts ? billPeriodFromNow(em, subscription, pauseAfter, p.payment_behavior ?? "allow_incomplete") : null;
  // As Stripe: a switch to another billing interval (Monthly → Yearly) resets the billing cycle anchor and invoices at once.
  const restart = p.trial_end === undefined && switches.some(({ item, price }) => switchRestartsCycle(subscription, item, price));
  const apply = () => {
    if (p.cancel_at_period_end !== undefined && p.cancel_at_period_end !== subscription.cancel_at_period_end) {
      applyCancelAtPeriodEnd(em, subscription, p.cancel_at_period_end, p.cancellation_details ?? {});
    } else if (p.cancellation_details) {
      const current = subscription.cancellation_details;
      subscription.cancellation_details = {
        comment: p.cancellation_details.comment !== undefined ? p.cancellation_details.comment : (current?.comment ?? null),
        feedback: p.cancellation_details.feedback !== undefined ? p.cancellation_details.feedback : (current?.feedback ?? null),
        feedback_option: current?.feedback_option ?? null,
        reason: current?.reason ?? null,
      };
    }
    for (const { item, price, quantity } of switches) applySwitch(item, price, quantity);
    if (p.description !== undefined) subscription.description = p.description;
    if (discounts !== undefined) subscription.discounts = discounts;
    if (p.pause_collection !== undefined) subscription.pause_collection = pauseAfter;
    subscription.metadata = applyMetadata(subscription.metadata, p.metadata);
    if (typeof p.trial_end === "number") moveTrialEnd(subscription, p.trial_end);
    if (period) applyPeriodFromNow(subscription, period, pauseAfter !== null);
  };
  // As Stripe: ending the trial now starts a paid period at once (a new billing cycle anchor) and bills it.
  if (p.trial_end === "now" || restart) {
    const before = renderSubscription(em, subscription);
    apply();
    restartCycleNow(em, subscription, before);
  } else {
    updateSubscription(em, subscription, apply);
  }
  return expand(em, renderSubscription(em, subscription), p.expand);
};

/** The emulator changes the trial of a trialing subscription only (Stripe can also add one to an active one). */
function checkTrialEnd(em: Emulator, subscription: Stripe.Subscription, trialEnd: "now" | number): void {
  if (subscription.status !== "trialing") {
    throw invalidRequest("The Stripe emulator changes trial_end only on a trialing subscription.", "trial_end");
  }
  if (trialEnd !== "now" && trialEnd <= em.clock.now()) throw invalidRequest("Invalid timestamp: must be in the future, or 'now'.", "trial_end");
}

function moveTrialEnd(subscription: Stripe.Subscription, trialEnd: number): void {
  subscription.trial_end = trialEnd;
  subscription.billing_cycle_anchor = trialEnd;
  for (const item of subscription.items.data) item.current_period_end = trialEnd;
}

export const cancel: ApiHandler = (em, { params, path }) => {
  const subscription = mustGet(em.store.state.subscriptions, pathId(path), "subscription");
  const p = parseParams(cancelSchema, params);
  cancelNow(em, subscription, "cancellation_requested", {
    comment: p.cancellation_details?.comment ?? null,
    feedback: p.cancellation_details?.feedback ?? null,
  });
  return expand(em, renderSubscription(em, subscription), p.expand);
};

/**
 * The discount ids after `discounts=[...]`: kept ones by `discount`, new ones redeemed from a
 * coupon or promotion code (checked first, so a refused code changes nothing); "" clears all,
 * an empty array keeps what there is.
 */
function newDiscounts(
  em: Emulator,
  subscription: Stripe.Subscription,
  requested: Array<{ coupon?: string | undefined; promotion_code?: string | undefined; discount?: string | undefined }> | null,
): Array<string | Stripe.Discount> | undefined {
  if (requested === null) return [];
  if (requested.length === 0) return undefined;
  const customer = customerIdOf(subscription);
  const current = new Set(subscription.discounts.map((d) => (typeof d === "string" ? d : d.id)));
  const plan = requested.map((entry, index) => {
    if (entry.discount !== undefined) {
      if (!current.has(entry.discount)) throw invalidRequest(`The discount ${entry.discount} is not on this subscription.`, `discounts[${index}][discount]`);
      return entry.discount;
    }
    return resolveDiscount(em, entry, { customer, currency: subscription.currency, subtotal: null }, `discounts[${index}]`);
  });
  return plan.map((entry) => (typeof entry === "string" ? entry : redeem(em, entry, { customer, subscription: subscription.id, checkoutSession: null }).id));
}

const pauseSchema = z.strictObject({
  type: z.literal("subscription").optional(),
  invoicing_behavior: z.enum(["invoice", "pending_invoice_item"]).optional(),
  expand: expandParam,
});

const resumeSchema = z.strictObject({
  billing_cycle_anchor: z.strictObject({ type: z.enum(["now", "unchanged"]) }).optional(),
  payment_behavior: z.enum(["resume_on_payment_attempt", "resume_on_payment_success"]).optional(),
  proration_behavior: z.enum(["always_invoice", "create_prorations", "none"]).optional(),
  expand: expandParam,
});

export const pause: ApiHandler = (em, { params, path }) => {
  const subscription = mustGet(em.store.state.subscriptions, pathId(path), "subscription");
  const p = parseParams(pauseSchema, params);
  pauseSubscription(em, subscription);
  return expand(em, renderSubscription(em, subscription), p.expand);
};

export const resume: ApiHandler = (em, { params, path }) => {
  const subscription = mustGet(em.store.state.subscriptions, pathId(path), "subscription");
  const p = parseParams(resumeSchema, params);
  resumeSubscription(em, subscription, p.billing_cycle_anchor?.type ?? "now");
  return expand(em, renderSubscription(em, subscription), p.expand);
};
