/**
 * /v1/billing_portal/configurations: create, retrieve, update, list. A portal session made with
 * `configuration` shows what it allows (pages/portal-page.ts). The default configuration (the one
 * Stripe keeps from the dashboard's settings) is made on first use: cancel at period end, and
 * switching to the other active prices of the subscription's product.
 */
import type Stripe from "stripe";
import { z } from "zod";
import type { ApiHandler, Emulator } from "../context";
import { invalidRequest } from "../errors";
import { emitUpdate, storeCreated } from "../events";
import { expand } from "../expand";
import { newId } from "../ids";
import { newestFirst, paginate } from "../list";
import { applyMetadata, boolParam, emptyable, expandParam, initialMetadata, listParams, metadataParam, nonEmptyString, parseParams, stringParam } from "../params";
import { render } from "../render";
import { mustGet, pathId } from "./common";

type Configuration = Stripe.BillingPortal.Configuration;
type Features = Stripe.BillingPortal.Configuration.Features;

const url = z.string().max(5000).refine((value) => /^https?:\/\/[^\s]+$/.test(value), { error: "Not a valid URL" });
const cancellationOption = z.enum(["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"]);
const proration = z.enum(["always_invoice", "create_prorations", "none"]);

const productsParam = emptyable(
  z
    .array(
      z.strictObject({
        product: nonEmptyString,
        prices: z.array(nonEmptyString).min(1).max(20),
        adjustable_quantity: z.strictObject({ enabled: z.literal(false, { error: "The Stripe emulator's portal does not change quantities" }) }).optional(),
      }),
    )
    .max(10),
);

/** Each feature's fields; `enabled` is required on create (Stripe's rule), optional on update. */
function featuresSchema(enabled: typeof boolParam | z.ZodOptional<typeof boolParam>) {
  return z.strictObject({
    customer_update: z
      .strictObject({ enabled, allowed_updates: emptyable(z.array(z.enum(["address", "email", "name", "phone", "shipping", "tax_id"]))).optional() })
      .optional(),
    invoice_history: z.strictObject({ enabled: boolParam }).optional(),
    payment_method_update: z.strictObject({ enabled: boolParam, payment_method_configuration: emptyable(stringParam).optional() }).optional(),
    subscription_cancel: z
      .strictObject({
        enabled,
        mode: z.enum(["at_period_end", "immediately"]).optional(),
        proration_behavior: proration.optional(),
        cancellation_reason: z.strictObject({ enabled: boolParam, options: emptyable(z.array(cancellationOption)) }).optional(),
      })
      .optional(),
    // The emulator's portal cannot pause a subscription.
    subscription_pause: z.strictObject({ enabled: boolParam.refine((on) => !on, { error: "The Stripe emulator's portal cannot pause subscriptions" }).optional() }).optional(),
    subscription_update: z
      .strictObject({
        enabled,
        default_allowed_updates: emptyable(z.array(z.enum(["price", "promotion_code", "quantity"]))).optional(),
        products: productsParam.optional(),
        proration_behavior: proration.optional(),
        billing_cycle_anchor: z.enum(["unchanged"], { error: "The Stripe emulator's portal keeps the billing cycle anchor (unchanged)" }).optional(),
      })
      .optional(),
  });
}

const businessProfile = z
  .strictObject({ headline: emptyable(stringParam.max(60)).optional(), privacy_policy_url: emptyable(url).optional(), terms_of_service_url: emptyable(url).optional() })
  .optional();
const loginPage = z.strictObject({ enabled: boolParam.refine((on) => !on, { error: "The Stripe emulator has no portal login page" }) }).optional();

/** What both create and update take besides the features (which create requires in full). */
const profileParams = {
  business_profile: businessProfile,
  default_return_url: emptyable(url).optional(),
  login_page: loginPage,
  metadata: metadataParam.optional(),
  name: emptyable(stringParam.max(256)).optional(),
  expand: expandParam,
};

const createSchema = z.strictObject({ features: featuresSchema(boolParam), ...profileParams });

const updateSchema = z.strictObject({ active: boolParam.optional(), features: featuresSchema(boolParam.optional()).optional(), ...profileParams });

const listSchema = z.strictObject({ ...listParams, active: boolParam.optional(), is_default: boolParam.optional() });

type FeaturesInput = z.infer<ReturnType<typeof featuresSchema>>;

function defaultFeatures(): Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: true },
    payment_method_update: { enabled: true, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [] },
      enabled: true,
      mode: "at_period_end",
      proration_behavior: "none",
    },
    subscription_pause: { duration: { interval_options: [], type: "indefinite" }, enabled: false },
    subscription_update: {
      billing_cycle_anchor: "unchanged",
      default_allowed_updates: ["price"],
      enabled: true,
      products: null,
      proration_behavior: "none",
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: "end_trial",
    },
  };
}

/** A new configuration starts with every feature off, as Stripe's do; `input` turns on what it names. */
function blankFeatures(): Features {
  const features = defaultFeatures();
  features.invoice_history.enabled = false;
  features.payment_method_update.enabled = false;
  features.subscription_cancel.enabled = false;
  features.subscription_update = { ...features.subscription_update, enabled: false, default_allowed_updates: [] };
  return features;
}

/** Checks that each listed price exists, is recurring and belongs to its product (Stripe's checks). */
function checkProducts(em: Emulator, products: NonNullable<z.infer<typeof productsParam>>): Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product[] {
  return products.map((entry, i) => {
    mustGet(em.store.state.products, entry.product, "product", `features[subscription_update][products][${i}][product]`, 400);
    for (const [j, priceId] of entry.prices.entries()) {
      const param = `features[subscription_update][products][${i}][prices][${j}]`;
      const price = mustGet(em.store.state.prices, priceId, "price", param, 400);
      const product = typeof price.product === "string" ? price.product : price.product.id;
      if (product !== entry.product) throw invalidRequest(`The price ${priceId} does not belong to the product ${entry.product}.`, param);
      if (!price.recurring) throw invalidRequest(`The price ${priceId} is not recurring.`, param);
    }
    return { adjustable_quantity: { enabled: false, maximum: null, minimum: 1 }, prices: [...new Set(entry.prices)], product: entry.product };
  });
}

/** Mutation: merges the given feature fields into `features`. */
function applyFeatures(em: Emulator, features: Features, input: Partial<FeaturesInput>): void {
  const { customer_update, invoice_history, payment_method_update, subscription_cancel, subscription_update } = input;
  if (customer_update) {
    if (customer_update.enabled !== undefined) features.customer_update.enabled = customer_update.enabled;
    if (customer_update.allowed_updates !== undefined) features.customer_update.allowed_updates = customer_update.allowed_updates ?? [];
  }
  if (invoice_history) features.invoice_history.enabled = invoice_history.enabled;
  if (payment_method_update) {
    features.payment_method_update.enabled = payment_method_update.enabled;
    if (payment_method_update.payment_method_configuration !== undefined) features.payment_method_update.payment_method_configuration = payment_method_update.payment_method_configuration || null;
  }
  if (subscription_cancel) {
    const target = features.subscription_cancel;
    if (subscription_cancel.enabled !== undefined) target.enabled = subscription_cancel.enabled;
    if (subscription_cancel.mode !== undefined) target.mode = subscription_cancel.mode;
    if (subscription_cancel.proration_behavior !== undefined) target.proration_behavior = subscription_cancel.proration_behavior;
    const reason = subscription_cancel.cancellation_reason;
    if (reason) target.cancellation_reason = { enabled: reason.enabled, feedback_options: null, options: reason.options ?? [] };
  }
  if (subscription_update) {
    const target = features.subscription_update;
    if (subscription_update.enabled !== undefined) target.enabled = subscription_update.enabled;
    if (subscription_update.default_allowed_updates !== undefined) target.default_allowed_updates = subscription_update.default_allowed_updates ?? [];
    if (subscription_update.products !== undefined) target.products = subscription_update.products ? checkProducts(em, subscription_update.products) : null;
    if (subscription_update.proration_behavior !== undefined) target.proration_behavior = subscription_update.proration_behavior;
    if (subscription_update.billing_cycle_anchor !== undefined) target.billing_cycle_anchor = subscription_update.billing_cycle_anchor;
  }
}

function newConfiguration(em: Emulator, features: Features, isDefault: boolean): Configuration {
  const now = em.clock.now();
  return {
    id: newId("portalConfiguration"),
    object: "billing_portal.configuration",
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: now,
    default_return_url: null,
    features,
    is_default: isDefault,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: now,
  };
}

/** The account's default configuration, made the first time anything needs it. */
export function defaultConfiguration(em: Emulator): Configuration {
  const found = Object.values(em.store.state.portal_configurations).find((c) => c.is_default);
  if (found) return found;
  const made = newConfiguration(em, defaultFeatures(), true);
  em.store.state.portal_configurations[made.id] = made;
  em.store.changed();
  return made;
}

function applyProfile(configuration: Configuration, p: z.infer<typeof createSchema> | z.infer<typeof updateSchema>): void {
  const profile = p.business_profile;
  if (profile?.headline !== undefined) configuration.business_profile.headline = profile.headline || null;
  if (profile?.privacy_policy_url !== undefined) configuration.business_profile.privacy_policy_url = profile.privacy_policy_url || null;
  if (profile?.terms_of_service_url !== undefined) configuration.business_profile.terms_of_service_url = profile.terms_of_service_url || null;
  if (p.default_return_url !== undefined) configuration.default_return_url = p.default_return_url || null;
  if (p.name !== undefined) configuration.name = p.name || null;
}

export const create: ApiHandler = (em, { params }) => {
  const p = parseParams(createSchema, params);
  defaultConfiguration(em);
  const features = blankFeatures();
  applyFeatures(em, features, p.features);
  const configuration = newConfiguration(em, features, false);
  applyProfile(configuration, p);
  configuration.metadata = initialMetadata(p.metadata);
  storeCreated(em, "billing_portal.configuration.created", em.store.state.portal_configurations, configuration);
  return expand(em, render(em, configuration), p.expand);
};

export const retrieve: ApiHandler = (em, { params, path }) => {
  const p = parseParams(z.strictObject({ expand: expandParam }), params);
  defaultConfiguration(em);
  return expand(em, render(em, mustGet(em.store.state.portal_configurations, pathId(path), "billing_portal.configuration")), p.expand);
};

export const update: ApiHandler = (em, { params, path }) => {
  defaultConfiguration(em);
  const configuration = mustGet(em.store.state.portal_configurations, pathId(path), "billing_portal.configuration");
  const p = parseParams(updateSchema, params);
  if (p.active === false && configuration.is_default) throw invalidRequest("You can't deactivate the default configuration.", "active");
  const features = structuredClone(configuration.features);
  if (p.features) applyFeatures(em, features, p.features);
  emitUpdate(em, "billing_portal.configuration.updated", configuration, () => {
    if (p.active !== undefined) configuration.active = p.active;
    configuration.features = features;
    applyProfile(configuration, p);
    configuration.metadata = applyMetadata(configuration.metadata ?? {}, p.metadata);
    configuration.updated = em.clock.now();
  });
  return expand(em, render(em, configuration), p.expand);
};

export const list: ApiHandler = (em, { params }) => {
  const p = parseParams(listSchema, params);
  defaultConfiguration(em);
  const items = newestFirst(em.store.state.portal_configurations).filter(
    (c) => (p.active === undefined || c.active === p.active) && (p.is_default === undefined || c.is_default === p.is_default),
  );
  return expand(em, paginate(items.map((c) => render(em, c)), p, "/v1/billing_portal/configurations", "billing_portal.configuration"), p.expand);
};

/** The configuration a session shows: the one it was made with, else the default. */
export function configurationOf(em: Emulator, session: Stripe.BillingPortal.Session): Configuration {
  const id = typeof session.configuration === "string" ? session.configuration : session.configuration.id;
  return em.store.state.portal_configurations[id] ?? defaultConfiguration(em);
}
