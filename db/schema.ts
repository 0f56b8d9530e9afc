import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";

export const articleAccess = pgEnum("article_access", ["free", "metered", "subscribers"]);
export const blockKind = pgEnum("block_kind", ["paragraph", "heading", "quote"]);
export const planInterval = pgEnum("plan_interval", ["month", "year"]);

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const articles = pgTable(
  "articles",
  {
    // A small integer id keeps the signed meter cookie short.
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    dek: text("dek"),
    byline: text("byline"),
    // Null while a draft; in the future for a scheduled article.
    publishedAt: timestamp("published_at", { withTimezone: true }),
    heroImage: text("hero_image"),
    heroImageAlt: text("hero_image_alt"),
    heroImageCredit: text("hero_image_credit"),
    // How many leading blocks everyone may read; null means the site default.
    leadInBlocks: integer("lead_in_blocks"),
    access: articleAccess("access").notNull().default("metered"),
    ...timestamps,
  },
  (t) => [
    index("articles_published_at_idx").on(t.publishedAt),
    // The admin list's order (newest first, by publication else creation), walked by keyset.
    index("articles_list_order_idx").on(sql`coalesce(${t.publishedAt}, ${t.createdAt})`, t.id),
    check("articles_lead_in_blocks_positive", sql`${t.leadInBlocks} IS NULL OR ${t.leadInBlocks} >= 1`),
  ],
);

// The body as ordered blocks, one row each, so the lead-in can be read without the locked part.
export const articleBlocks = pgTable(
  "article_blocks",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: blockKind("kind").notNull().default("paragraph"),
    text: text("text").notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.position] })],
);

// One row (id = 1): the publisher's meter and paywall settings. Null columns fall back to env.
export const siteSettings = pgTable(
  "site_settings",
  {
    id: integer("id").primaryKey().default(1),
    meterAnonymousLimit: integer("meter_anonymous_limit"),
    meterRegisteredLimit: integer("meter_registered_limit"),
    meterWindowDays: integer("meter_window_days"),
    defaultLeadInBlocks: integer("default_lead_in_blocks"),
    paywallHeading: text("paywall_heading"),
    paywallBody: text("paywall_body"),
    // Gift links: days a subscriber's gift stays readable, and how many browsers may open one.
    giftValidDays: integer("gift_valid_days"),
    giftBrowserLimit: integer("gift_browser_limit"),
    // Offers: whether Stripe Checkout takes codes readers type, and the one offer the paywall card features.
    checkoutAcceptsCodes: boolean("checkout_accepts_codes").notNull().default(false),
    featuredOfferId: integer("featured_offer_id").references((): AnyPgColumn => offers.id, { onDelete: "set null" }),
    // The paywall card's plan buttons ("Choose" when null), and the plan it puts first and marks.
    paywallButton: text("paywall_button"),
    defaultPlanId: integer("default_plan_id").references((): AnyPgColumn => plans.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("site_settings_single_row", sql`${t.id} = 1`)],
);

export const plans = pgTable(
  "plans",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    description: text("description"),
    // Minor units (cents): money is never a float.
    amount: integer("amount").notNull(),
    currency: text("currency").notNull().default("usd"),
    interval: planInterval("interval").notNull(),
    trialDays: integer("trial_days").notNull().default(0),
    // A trial is had once per account, ever; with this set, once per account on this plan.
    trialPerPlan: boolean("trial_per_plan").notNull().default(false),
    stripeProductId: text("stripe_product_id"),
    stripePriceId: text("stripe_price_id").unique(),
    active: boolean("active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    features: jsonb("features").$type<string[]>().notNull().default([]),
    // Articles a subscriber on this plan may give away per calendar month (site's time zone).
    giftAllowance: integer("gift_allowance").notNull().default(10),
    // A family plan: how many accounts read on one subscription, the payer included (null: not a family plan).
    familyAccounts: integer("family_accounts"),
    ...timestamps,
  },
  (t) => [
    check("plans_amount_non_negative", sql`${t.amount} >= 0`),
    check("plans_family_accounts_range", sql`${t.familyAccounts} is null or ${t.familyAccounts} between 2 and 20`),
    check("plans_gift_allowance_non_negative", sql`${t.giftAllowance} >= 0`),
    check("plans_trial_days_non_negative", sql`${t.trialDays} >= 0`),
  ],
);

export type Article = typeof articles.$inferSelect;
export type NewArticle = typeof articles.$inferInsert;
export type ArticleBlock = typeof articleBlocks.$inferSelect;
export type ArticleAccessLevel = (typeof articleAccess.enumValues)[number];
export type BlockKind = (typeof blockKind.enumValues)[number];
export type SiteSettings = typeof siteSettings.$inferSelect;
export type Plan = typeof plans.$inferSelect;

// --- Accounts (Auth.js tables, in our migrations; JS keys are what @auth/drizzle-adapter expects) ---

export const userRole = pgEnum("user_role", ["reader", "admin"]);

export const users = pgTable(
  "users",
  {
    id: text("id")
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text("name"),
    // Always stored in lower case: one address is one identity, whatever case it is typed in.
    email: text("email").unique(),
    // Null until the owner proves the address (an emailed link, or a verified OAuth identity).
    // An account a checkout created stays unverified: a payment proves nothing about who paid.
    emailVerified: timestamp("email_verified", { withTimezone: true, mode: "date" }),
    image: text("image"),
    role: userRole("role").notNull().default("reader"),
    // The browser's signed reader id at the first sign-in: experiments hash on it, so a reader who
    // signs in keeps the variant they had (lib/experiments/reader-key.ts). Null: the user id.
    experimentKey: text("experiment_key"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Set when the reader (or the admin, for a request by mail) deleted the account: the row stays,
    // anonymised, so invoices and consent records kept for bookkeeping point at no person (lib/privacy).
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [
    check("users_email_lower_case", sql`${t.email} = lower(${t.email})`),
    // The admin's search by email: a prefix range scan, whatever the database's collation.
    index("users_email_prefix_idx").on(t.email.op("text_pattern_ops")),
    // The admin's subscriber list and CSV export, walked by keyset (newest first / oldest first).
    index("users_created_at_id_idx").on(t.createdAt, t.id),
  ],
);

export const accounts = pgTable(
  "accounts",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<"oauth" | "oidc" | "email" | "webauthn">().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("accounts_user_id_idx").on(t.userId)],
);

export const sessions = pgTable(
  "sessions",
  {
    sessionToken: text("session_token").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const verificationTokens = pgTable(
  "verification_tokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

// A registered reader's meter, kept on the server so it is the same on every device.
export const userMeters = pgTable("user_meters", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  windowStart: integer("window_start").notNull(),
  articleIds: integer("article_ids").array().notNull().default(sql`'{}'::integer[]`),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

// A sliding log of rate-limited actions (sign-in requests), shared by every app instance.
export const rateLimitHits = pgTable(
  "rate_limit_hits",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    key: text("key").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("rate_limit_hits_key_at_idx").on(t.key, t.at)],
);

export type User = typeof users.$inferSelect;
export type UserRole = (typeof userRole.enumValues)[number];

// --- Billing (Stripe is the source of truth; these are our copies) ---

/** Every Stripe price a plan has had: prices are immutable, so a new amount is a new price. */
export const planPrices = pgTable(
  "plan_prices",
  {
    stripePriceId: text("stripe_price_id").primaryKey(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    interval: planInterval("interval").notNull(),
    active: boolean("active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("plan_prices_plan_id_idx").on(t.planId)],
);

/** A user may have several customers (one per anonymous purchase, or made by hand in Stripe). */
export const stripeCustomers = pgTable(
  "stripe_customers",
  {
    stripeCustomerId: text("stripe_customer_id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stripe_customers_user_id_idx").on(t.userId)],
);

export const subscriptionStatus = pgEnum("subscription_status", [
  "incomplete",
  "incomplete_expired",
  "trialing",
  "active",
  "past_due",
  "canceled",
  "unpaid",
  "paused",
]);

export const subscriptions = pgTable(
  "subscriptions",
  {
    stripeSubscriptionId: text("stripe_subscription_id").primaryKey(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    status: subscriptionStatus("status").notNull(),
    stripePriceId: text("stripe_price_id").notNull(),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    currentPeriodStart: timestamp("current_period_start", { withTimezone: true }),
    currentPeriodEnd: timestamp("current_period_end", { withTimezone: true }),
    cancelAtPeriodEnd: boolean("cancel_at_period_end").notNull().default(false),
    cancelAt: timestamp("cancel_at", { withTimezone: true }),
    canceledAt: timestamp("canceled_at", { withTimezone: true }),
    endedAt: timestamp("ended_at", { withTimezone: true }),
    trialEnd: timestamp("trial_end", { withTimezone: true }),
    stripeCreated: timestamp("stripe_created", { withTimezone: true }).notNull(),
    // How far Stripe's clock runs ahead of ours for this subscription (a test clock, or the
    // emulator's clock); 0 in live mode. Dates on this row are judged on Stripe's clock.
    clockOffsetSeconds: integer("clock_offset_seconds").notNull().default(0),
    // The discount in force (Stripe's first one), on Stripe's clock: percent in basis points
    // (Stripe allows 33.5 %) or an amount in minor units; start and end of its run.
    discountPercentBp: integer("discount_percent_bp"),
    discountAmountOff: integer("discount_amount_off"),
    discountDuration: text("discount_duration", { enum: ["once", "repeating", "forever"] }),
    discountStart: timestamp("discount_start", { withTimezone: true }),
    discountEnd: timestamp("discount_end", { withTimezone: true }),
    // The offer it was bought with (subscription metadata masthead_offer_id).
    offerId: integer("offer_id"),
    // Stripe's pause_collection (our pause): the renewals it covers are voided, so there is no
    // access from the end of the paid period until a paid one starts (resumes_at, Stripe's clock).
    collectionPaused: boolean("collection_paused").notNull().default(false),
    pausedUntil: timestamp("paused_until", { withTimezone: true }),
    // Set when the current period's invoice was voided or marked uncollectible (a pause): the
    // paid days ended where that period began (Stripe's clock). Null while the current period's
    // invoice is not known to be unpaid. Access is judged by it, never by status "active".
    paidThrough: timestamp("paid_through", { withTimezone: true }),
    // Our cancel flow: the save screen is shown at most once; the reader's optional reason.
    retentionOfferedAt: timestamp("retention_offered_at", { withTimezone: true }),
    cancelReason: text("cancel_reason"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("subscriptions_user_id_idx").on(t.userId),
    index("subscriptions_customer_idx").on(t.stripeCustomerId),
    // The dashboard's counts by status, and its daily new / churned series (UTC days on our clock).
    index("subscriptions_status_idx").on(t.status),
    index("subscriptions_created_our_clock_idx").on(sql`((${t.stripeCreated} at time zone 'UTC') - ${t.clockOffsetSeconds} * interval '1 second')`, t.status),
    index("subscriptions_ended_our_clock_idx")
      .on(sql`((coalesce(${t.endedAt}, ${t.canceledAt}) at time zone 'UTC') - ${t.clockOffsetSeconds} * interval '1 second')`)
      .where(sql`${t.status} = 'canceled'`),
    // The dashboard's MRR: renewing subscriptions are summed per price from this index alone;
    // the few paying ones whose dates decide (past due, or set to cancel) are read row by row.
    index("subscriptions_renewing_price_idx")
      .on(t.stripePriceId)
      .where(sql`${t.status} = 'active' and ${t.cancelAt} is null and not ${t.cancelAtPeriodEnd} and not ${t.collectionPaused}`),
    index("subscriptions_paying_ending_idx")
      .on(t.status)
      .where(sql`${t.status} = 'past_due' or (${t.status} = 'active' and (${t.cancelAt} is not null or ${t.cancelAtPeriodEnd} or ${t.collectionPaused}))`),
    // The billing checks: live subscriptions per account, and paid ones without an account.
    index("subscriptions_live_user_idx").on(t.userId).where(sql`${t.status} in ('trialing', 'active', 'past_due', 'unpaid')`),
    index("subscriptions_unlinked_idx").on(t.stripeCreated).where(sql`${t.userId} is null`),
    // The dashboard's net MRR: only the discounted subscriptions are read row by row.
    index("subscriptions_discounted_idx").on(t.status).where(sql`${t.discountDuration} is not null`),
    index("subscriptions_offer_idx").on(t.offerId).where(sql`${t.offerId} is not null`),
  ],
);

export const invoices = pgTable(
  "invoices",
  {
    stripeInvoiceId: text("stripe_invoice_id").primaryKey(),
    stripeCustomerId: text("stripe_customer_id").notNull(),
    stripeSubscriptionId: text("stripe_subscription_id"),
    status: text("status").notNull(),
    amountDue: integer("amount_due").notNull(),
    amountPaid: integer("amount_paid").notNull(),
    currency: text("currency").notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }),
    periodEnd: timestamp("period_end", { withTimezone: true }),
    hostedInvoiceUrl: text("hosted_invoice_url"),
    stripeCreated: timestamp("stripe_created", { withTimezone: true }).notNull(),
  },
  (t) => [index("invoices_customer_idx").on(t.stripeCustomerId)],
);

export const offerKind = pgEnum("offer_kind", ["percent", "amount", "trial"]);
export const offerDuration = pgEnum("offer_duration", ["once", "repeating", "forever"]);

/**
 * A promotion: a Stripe coupon plus promotion code (a trial offer is Checkout's trial days and
 * pushes nothing). Billing terms never change: an edit inserts a new offer that `replaces` the
 * old one, which is archived. The public code is unique among offers not archived.
 */
export const offers = pgTable(
  "offers",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    code: text("code").notNull(),
    kind: offerKind("kind").notNull(),
    percentOff: integer("percent_off"),
    // Minor units of `currency` (the eligible plans' currency).
    amountOff: integer("amount_off"),
    currency: text("currency"),
    trialDays: integer("trial_days"),
    duration: offerDuration("duration").notNull(),
    durationMonths: integer("duration_months"),
    planIds: jsonb("plan_ids").$type<number[]>().notNull(),
    newCustomersOnly: boolean("new_customers_only").notNull().default(true),
    startsAt: timestamp("starts_at", { withTimezone: true }),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    maxRedemptions: integer("max_redemptions"),
    stripeCouponId: text("stripe_coupon_id"),
    stripePromotionCodeId: text("stripe_promotion_code_id"),
    // Whether its promotion code is active in Stripe, i.e. typeable at Checkout (lib/offers/typed-codes.ts).
    promotionCodeActive: boolean("promotion_code_active").notNull().default(false),
    replacesOfferId: integer("replaces_offer_id"),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("offers_live_code_idx").on(sql`lower(${t.code})`).where(sql`${t.archivedAt} is null`),
    check("offers_percent_range", sql`${t.percentOff} is null or ${t.percentOff} between 1 and 100`),
    check("offers_amount_positive", sql`${t.amountOff} is null or ${t.amountOff} > 0`),
    check("offers_trial_days_range", sql`${t.trialDays} is null or ${t.trialDays} between 1 and 730`),
    check(
      "offers_terms_match_kind",
      sql`(${t.kind} = 'percent' and ${t.percentOff} is not null and ${t.amountOff} is null and ${t.trialDays} is null)
       or (${t.kind} = 'amount' and ${t.amountOff} is not null and ${t.currency} is not null and ${t.percentOff} is null and ${t.trialDays} is null)
       or (${t.kind} = 'trial' and ${t.trialDays} is not null and ${t.percentOff} is null and ${t.amountOff} is null)`,
    ),
    check("offers_repeating_months", sql`(${t.duration} = 'repeating') = (${t.durationMonths} is not null)`),
  ],
);

export type Offer = typeof offers.$inferSelect;

/**
 * The one retention offer shown on the cancel screen (row id 1): none, a discount (a live
 * discount offer, repeating, applied to the subscription) or a pause of 1 to 3 months.
 */
export const retentionOffer = pgTable(
  "retention_offer",
  {
    id: integer("id").primaryKey().default(1),
    kind: text("kind", { enum: ["none", "discount", "pause"] }).notNull().default("none"),
    offerId: integer("offer_id").references(() => offers.id, { onDelete: "set null" }),
    pauseMonths: integer("pause_months"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("retention_offer_single_row", sql`${t.id} = 1`),
    check("retention_offer_pause_months", sql`${t.pauseMonths} is null or ${t.pauseMonths} between 1 and 3`),
  ],
);

export type RetentionOffer = typeof retentionOffer.$inferSelect;

/**
 * Save offers accepted on the cancel screen (docs/decisions/0022): one row per subscription
 * (the unique key), and at most one per account in 12 months (checked under the account's row
 * lock). Claimed in its own transaction before Stripe is called, so a replay or a second tab
 * finds it and calls nothing.
 */
export const retentionAcceptances = pgTable(
  "retention_acceptances",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    stripeSubscriptionId: text("stripe_subscription_id").notNull(),
    kind: text("kind", { enum: ["discount", "pause"] }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("retention_acceptances_subscription_idx").on(t.stripeSubscriptionId), index("retention_acceptances_user_idx").on(t.userId, t.acceptedAt)],
);

/**
 * The billing mail outbox (docs/decisions/0020): a row is recorded, with what it says, in the
 * webhook event's transaction (the key, unique, makes a replayed event record nothing) and sent
 * after the commit. `sending` is committed before the SMTP call; a row left `sending` by a crash
 * becomes `unknown` and is not resent. Rows from before the outbox are `sent`, without content.
 */
export const billingMailState = pgEnum("billing_mail_state", ["pending", "sending", "sent", "failed", "unknown"]);

/** What a billing mail says, rendered when it is decided (the deliverer only sends it). */
export type BillingMailContent = { to: string; subject: string; text: string; html: string };

export const billingMails = pgTable(
  "billing_mails",
  {
    // e.g. payment_failed:in_…:1, trial_ending:sub_…:<unix>, discount_ending:sub_…:<unix>
    key: text("key").primaryKey(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    state: billingMailState("state").notNull().default("pending"),
    content: jsonb("content").$type<BillingMailContent>(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    // The deliverer's claim and the sweep look only at rows still to send (few, whatever the history).
    index("billing_mails_due_idx").on(t.nextAttemptAt).where(sql`${t.state} in ('pending', 'sending')`),
    check("billing_mails_content", sql`${t.state} = 'sent' or ${t.content} is not null`),
  ],
);

export const stripeEventState = pgEnum("stripe_event_state", ["processed", "failed", "waiting_for_customer", "ignored"]);

/** Every webhook event, stored once by its id, with what processing it did. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    stripeCreated: timestamp("stripe_created", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    state: stripeEventState("state").notNull(),
    error: text("error"),
    attempts: integer("attempts").notNull().default(1),
    stripeCustomerId: text("stripe_customer_id"),
    payload: jsonb("payload").notNull(),
  },
  (t) => [
    index("stripe_events_type_idx").on(t.type),
    index("stripe_events_state_idx").on(t.state),
    index("stripe_events_customer_idx").on(t.stripeCustomerId),
  ],
);

/** A checkout started here: binds the Stripe session to the browser that started it (by nonce hash). */
export const checkoutAttempts = pgTable("checkout_attempts", {
  stripeSessionId: text("stripe_session_id").primaryKey(),
  nonceHash: text("nonce_hash").notNull(),
  // The signed-in reader who started it; null for an anonymous checkout.
  userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
  // The account this checkout itself created (its email had none): the only one it may sign in.
  createdUserId: text("created_user_id").references(() => users.id, { onDelete: "set null" }),
  // The account the subscription went to, once known.
  ownerUserId: text("owner_user_id").references(() => users.id, { onDelete: "set null" }),
  planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
  returnPath: text("return_path").notNull().default("/"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp("completed_at", { withTimezone: true }),
  consumedAt: timestamp("consumed_at", { withTimezone: true }),
  // The welcome or sign-in email for this checkout went out (sent once, whoever gets there first).
  mailedAt: timestamp("mailed_at", { withTimezone: true }),
  // The terms shown on the Checkout page (lib/billing/consent-terms.ts) and their wording's version.
  termsText: text("terms_text"),
  termsVersion: text("terms_version"),
});

/**
 * What a subscriber agreed to at Checkout (California's automatic renewal law and the like): the
 * terms as shown, their version and SHA-256, when they were shown and when the checkout was paid.
 */
export const consentRecords = pgTable("consent_records", {
  stripeSubscriptionId: text("stripe_subscription_id").primaryKey(),
  userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
  stripeCheckoutSessionId: text("stripe_checkout_session_id").notNull(),
  planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
  termsText: text("terms_text").notNull(),
  termsVersion: text("terms_version").notNull(),
  termsHash: text("terms_hash").notNull(),
  shownAt: timestamp("shown_at", { withTimezone: true }).notNull(),
  acceptedAt: timestamp("accepted_at", { withTimezone: true }).notNull(),
});

export type ConsentRecord = typeof consentRecords.$inferSelect;

/** Complimentary access granted by an admin; the entitlement function honours it. */
export const grants = pgTable(
  "grants",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    reason: text("reason").notNull(),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull().defaultNow(),
    endsAt: timestamp("ends_at", { withTimezone: true }),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: text("revoked_by").references(() => users.id, { onDelete: "set null" }),
    // Set when the grant is a redeemed gift subscription: its paid checkout backs these days.
    giftSubscriptionId: integer("gift_subscription_id")
      .unique()
      .references((): AnyPgColumn => giftSubscriptions.id, { onDelete: "restrict" }),
  },
  (t) => [
    index("grants_user_id_idx").on(t.userId),
    // The gift sweep's notice a week before a gift's months end looks only at live gift grants.
    index("grants_gift_ends_idx").on(t.endsAt).where(sql`${t.giftSubscriptionId} is not null and ${t.revokedAt} is null`),
  ],
);

// --- Admin ---

export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    actorUserId: text("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    actorEmail: text("actor_email"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_at_idx").on(t.at)],
);

// paywall_reader: a browser's first paywall on an article in its attribution window (the touch's list), so
// conversion rates divide by readers, not by page views.
export const funnelEventType = pgEnum("funnel_event_type", ["article_view", "paywall_shown", "checkout_started", "subscribed", "paywall_reader"]);

/** Append-only conversion funnel, written in batches off the reading path. */
export const funnelEvents = pgTable(
  "funnel_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    type: funnelEventType("type").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    articleId: integer("article_id"),
    userId: text("user_id"),
    // Events are counted in the buffer and written as one row per kind per flush.
    count: integer("count").notNull().default(1),
  },
  (t) => [index("funnel_events_at_idx").on(t.at, t.type)],
);

/**
 * The funnel per UTC day and kind, kept by a statement trigger on funnel_events (migration 0006),
 * so the dashboard sums at most 90 days × 4 rows, not every flush.
 */
export const funnelDaily = pgTable(
  "funnel_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    type: funnelEventType("type").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.type] })],
);

export const conversionEvent = pgEnum("conversion_event", ["registered", "newsletter_signup", "checkout_started", "subscribed"]);
export const sourceClass = pgEnum("source_class", ["search", "social", "aggregator", "newsletter", "gift", "internal", "other", "direct"]);
export const conversionEntry = pgEnum("conversion_entry", ["paywall_card", "offer_card", "newsletter_box", "gift_link"]);

/**
 * One row per conversion (lib/analytics/attribution.ts), credited to the article the reader
 * converted from and the source that brought them, both read from our signed attribution
 * cookie (never from a form field). No IP address, no user agent.
 */
export const conversions = pgTable(
  "conversions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    event: conversionEvent("event").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    articleId: integer("article_id").references(() => articles.id, { onDelete: "set null" }),
    entry: conversionEntry("entry"),
    sourceClass: sourceClass("source_class").notNull(),
    referrerHost: text("referrer_host"),
    utmSource: text("utm_source"),
    utmMedium: text("utm_medium"),
    utmCampaign: text("utm_campaign"),
    utmTerm: text("utm_term"),
    utmContent: text("utm_content"),
    offerCode: text("offer_code"),
    // The checkout a checkout_started or subscribed row belongs to: a subscription is credited once.
    checkoutSessionId: text("checkout_session_id"),
    // The experiment variants the reader had been shown (the touch's list): one per live experiment.
    variantIds: integer("variant_ids").array().notNull().default(sql`'{}'::integer[]`),
  },
  (t) => [
    index("conversions_at_idx").on(t.at, t.event),
    uniqueIndex("conversions_checkout_event_idx").on(t.checkoutSessionId, t.event),
  ],
);

export type SubscriptionRow = typeof subscriptions.$inferSelect;
export type SubscriptionStatus = (typeof subscriptionStatus.enumValues)[number];
export type Grant = typeof grants.$inferSelect;
export type StripeEventRow = typeof stripeEvents.$inferSelect;
export type FunnelEventType = (typeof funnelEventType.enumValues)[number];
export type ConversionEvent = (typeof conversionEvent.enumValues)[number];
export type SourceClass = (typeof sourceClass.enumValues)[number];
export type ConversionEntry = (typeof conversionEntry.enumValues)[number];
export type ConversionRow = typeof conversions.$inferSelect;

// --- Gifts ---

export const giftKind = pgEnum("gift_kind", ["subscriber", "publisher"]);
export const giftConversionKind = pgEnum("gift_conversion_kind", ["registered", "subscribed"]);

/** A gift link: the token itself is never stored, only its SHA-256. */
export const gifts = pgTable(
  "gifts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text("token_hash").notNull().unique(),
    kind: giftKind("kind").notNull(),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    // The subscriber who gave it; null for a publisher link.
    gifterUserId: text("gifter_user_id").references(() => users.id, { onDelete: "cascade" }),
    // The name the recipient's banner shows, fixed when the gift is made.
    senderName: text("sender_name"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Null for a publisher link: it lasts until rotated or revoked.
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    // A re-gift's link shares the browser limit of the gifter's first link to this article in that
    // month (its pool); null for that first link and for publisher links, which are their own pool.
    poolGiftId: integer("pool_gift_id").references((): AnyPgColumn => gifts.id, { onDelete: "cascade" }),
    // On a pool's first link: distinct browsers let in through any of the pool's links; the open
    // that would pass the limit is refused under this row's lock. Zero on the other links.
    browsersOpened: integer("browsers_opened").notNull().default(0),
  },
  (t) => [
    // The allowance: a gifter's gifts this month.
    index("gifts_gifter_created_idx").on(t.gifterUserId, t.createdAt),
    index("gifts_article_created_idx").on(t.articleId, t.createdAt),
    // One live publisher link per article.
    uniqueIndex("gifts_live_publisher_link_idx").on(t.articleId).where(sql`${t.kind} = 'publisher' and ${t.revokedAt} is null`),
  ],
);

/** Each browser that opened a gift link (its id hashed), whether the limit let it in, and from which site. */
export const giftOpens = pgTable(
  "gift_opens",
  {
    giftId: integer("gift_id")
      .notNull()
      .references(() => gifts.id, { onDelete: "cascade" }),
    browserHash: text("browser_hash").notNull(),
    admitted: boolean("admitted").notNull(),
    referrerHost: text("referrer_host"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.giftId, t.browserHash] })],
);

/** A recipient who registered or subscribed within 30 days of opening a gift, once per kind. */
export const giftConversions = pgTable(
  "gift_conversions",
  {
    giftId: integer("gift_id")
      .notNull()
      .references(() => gifts.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: giftConversionKind("kind").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.giftId, t.userId, t.kind] })],
);

// --- Newsletters (lib/newsletters) ---

export const newsletterAudience = pgEnum("newsletter_audience", ["everyone", "paid"]);
export const newsletterSegment = pgEnum("newsletter_segment", ["everyone", "free", "paid"]);
export const newsletterIssueState = pgEnum("newsletter_issue_state", ["draft", "sending", "sent"]);
/**
 * One outbox row per recipient. `sending` is committed before the SMTP call; a row found in
 * `sending` after a crash may or may not have been delivered, so it becomes `unknown` and is
 * never resent unless an admin asks (lib/newsletters/outbox-recovery.ts).
 */
export const newsletterOutboxState = pgEnum("newsletter_outbox_state", ["pending", "sending", "sent", "failed", "unknown"]);

export const newsletters = pgTable("newsletters", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  senderName: text("sender_name").notNull(),
  // Ticked for new readers at sign-up.
  subscribeOnSignup: boolean("subscribe_on_signup").notNull().default(false),
  audience: newsletterAudience("audience").notNull().default("everyone"),
  archivedAt: timestamp("archived_at", { withTimezone: true }),
  ...timestamps,
});

/** A reader on a list; `unsubscribedAt` set means off it (kept for the history charts). */
export const newsletterSubscriptions = pgTable(
  "newsletter_subscriptions",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    newsletterId: integer("newsletter_id")
      .notNull()
      .references(() => newsletters.id, { onDelete: "cascade" }),
    subscribedAt: timestamp("subscribed_at", { withTimezone: true }).notNull().defaultNow(),
    unsubscribedAt: timestamp("unsubscribed_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.newsletterId] }), index("newsletter_subscriptions_list_idx").on(t.newsletterId, t.subscribedAt)],
);

/** One row (id = 1): the sign-up guard and the sending pace. */
export const newsletterSettings = pgTable(
  "newsletter_settings",
  {
    id: integer("id").primaryKey().default(1),
    blockedDomains: text("blocked_domains").array().notNull().default(sql`'{}'::text[]`),
    messagesPerSecond: integer("messages_per_second").notNull().default(20),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("newsletter_settings_single_row", sql`${t.id} = 1`),
    check("newsletter_settings_rate_positive", sql`${t.messagesPerSecond} between 1 and 1000`),
  ],
);

export const newsletterIssues = pgTable(
  "newsletter_issues",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    newsletterId: integer("newsletter_id")
      .notNull()
      .references(() => newsletters.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    // Either Markdown written for the email, or an article whose text each recipient gets as decideAccess allows.
    markdown: text("markdown"),
    articleId: integer("article_id").references(() => articles.id, { onDelete: "set null" }),
    segment: newsletterSegment("segment").notNull().default("everyone"),
    state: newsletterIssueState("state").notNull().default("draft"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    queuedAt: timestamp("queued_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    ...timestamps,
  },
  (t) => [index("newsletter_issues_newsletter_idx").on(t.newsletterId, t.createdAt)],
);

export const newsletterOutbox = pgTable(
  "newsletter_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    issueId: integer("issue_id")
      .notNull()
      .references(() => newsletterIssues.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    email: text("email").notNull(),
    state: newsletterOutboxState("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    // The billing mail outbox's names: both are driven by lib/mail/outbox-state.ts.
    // Not before this time (a retry after a temporary refusal).
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("newsletter_outbox_issue_email_idx").on(t.issueId, t.email),
    index("newsletter_outbox_issue_state_idx").on(t.issueId, t.state),
    // The sender's queue: what is left to send, in order.
    index("newsletter_outbox_pending_idx").on(t.id).where(sql`${t.state} in ('pending', 'sending')`),
  ],
);

/** Who may send now (id = 1): one sender across every instance and worker, by lease. */
export const newsletterSenderLease = pgTable(
  "newsletter_sender_lease",
  {
    id: integer("id").primaryKey().default(1),
    holder: text("holder"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("newsletter_sender_lease_single_row", sql`${t.id} = 1`)],
);

export type Newsletter = typeof newsletters.$inferSelect;
export type NewsletterIssue = typeof newsletterIssues.$inferSelect;
export type NewsletterSegment = (typeof newsletterSegment.enumValues)[number];
export type NewsletterOutboxRow = typeof newsletterOutbox.$inferSelect;
export type NewsletterOutboxState = (typeof newsletterOutboxState.enumValues)[number];

// --- Organisations: group licences (lib/organisations) ---

// How a licence is paid. `invoice`: the organisation is invoiced for the price and term an admin
// entered, outside Masthead or through Stripe (organisation_invoices).
export const organisationPayment = pgEnum("organisation_payment", ["invoice"]);
export const membershipVia = pgEnum("membership_via", ["invite", "domain"]);

/** An organisation that buys seats for its people: a newsroom, a firm, a library. */
export const organisations = pgTable(
  "organisations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    name: text("name").notNull(),
    seats: integer("seats").notNull(),
    // Reading through the licence runs from termStart until termEnd (exclusive).
    termStart: timestamp("term_start", { withTimezone: true }).notNull(),
    termEnd: timestamp("term_end", { withTimezone: true }).notNull(),
    // The licence's price for its whole term, in minor units.
    priceAmount: integer("price_amount").notNull(),
    currency: text("currency").notNull().default("usd"),
    payment: organisationPayment("payment").notNull().default("invoice"),
    // Lower-case addresses; a manager is whoever signs in with a verified one of them.
    managerEmails: text("manager_emails").array().notNull().default(sql`'{}'::text[]`),
    // Lower-case domains: a verified address whose part after "@" equals one may join.
    domains: text("domains").array().notNull().default(sql`'{}'::text[]`),
    // CIDR ranges (IPv4 and IPv6) in their canonical spelling: reading without an account.
    ipRanges: text("ip_ranges").array().notNull().default(sql`'{}'::text[]`),
    // The highest seat mail threshold (0, 90, 100 per cent of seats) already mailed while the
    // seats used stay at or above it; falls back when they drop below, so the next crossing mails again.
    seatMailLevel: integer("seat_mail_level").notNull().default(0),
    // How many seat mails were sent: each crossing's mail key.
    seatMails: integer("seat_mails").notNull().default(0),
    // The organisation's Stripe customer, made when its first licence invoice is sent (lib/billing/licence-invoices.ts).
    stripeCustomerId: text("stripe_customer_id").unique(),
    ...timestamps,
  },
  (t) => [
    check("organisations_seats_positive", sql`${t.seats} >= 1`),
    check("organisations_term_order", sql`${t.termEnd} > ${t.termStart}`),
    check("organisations_price_non_negative", sql`${t.priceAmount} >= 0`),
  ],
);

/** A reader holding one of an organisation's seats. */
export const organisationMembers = pgTable(
  "organisation_members",
  {
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    via: membershipVia("via").notNull(),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.userId] }), index("organisation_members_user_idx").on(t.userId)],
);

/** A manager's invitation to one address: the token itself is never stored, only its SHA-256. */
export const organisationInvites = pgTable(
  "organisation_invites",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    check("organisation_invites_email_lower_case", sql`${t.email} = lower(${t.email})`),
    // One open invitation per address and organisation: inviting again replaces it.
    uniqueIndex("organisation_invites_open_idx").on(t.organisationId, t.email).where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);

/** Licensed reads per organisation, month and member (null: read from one of its IP ranges). Counts only. */
export const organisationReads = pgTable(
  "organisation_reads",
  {
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    // The first day of the month (UTC).
    month: date("month", { mode: "string" }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "cascade" }),
    reads: integer("reads").notNull().default(0),
  },
  (t) => [unique("organisation_reads_key").on(t.organisationId, t.month, t.userId).nullsNotDistinct()],
);

/**
 * A licence invoice sent through Stripe (net 30). `pending` is our intent, recorded before the
 * first Stripe call; the other states are Stripe's, copied from its invoice (never from a
 * webhook's payload). Written only by lib/billing/licence-invoices.ts.
 */
export const organisationInvoices = pgTable(
  "organisation_invoices",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    organisationId: integer("organisation_id")
      .notNull()
      .references(() => organisations.id, { onDelete: "cascade" }),
    stripeInvoiceId: text("stripe_invoice_id").unique(),
    status: text("status").notNull().default("pending"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    dueDate: timestamp("due_date", { withTimezone: true }),
    // The licence term this invoice bills (the organisation's term when it was sent).
    termStart: timestamp("term_start", { withTimezone: true }).notNull(),
    termEnd: timestamp("term_end", { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [
    check("organisation_invoices_status", sql`${t.status} in ('pending', 'draft', 'open', 'paid', 'void', 'uncollectible')`),
    // One live invoice per term: a replayed or concurrent send cannot bill it twice.
    uniqueIndex("organisation_invoices_live_idx").on(t.organisationId, t.termStart, t.termEnd).where(sql`${t.status} in ('pending', 'draft', 'open', 'paid')`),
    index("organisation_invoices_organisation_idx").on(t.organisationId),
  ],
);

export type Organisation = typeof organisations.$inferSelect;
export type OrganisationInvoice = typeof organisationInvoices.$inferSelect;
export type MembershipVia = (typeof membershipVia.enumValues)[number];

// --- Cancelling without signing in, and cancellations that must reach Stripe ---

/**
 * "Cancel a subscription" asked for by address on /cancel: every request is one row, whatever
 * the address (the page does the same work for any), resolved after the answer by
 * lib/retention/cancel-requests.ts, which mails links only to an address that has a subscription.
 * Deleted once resolved.
 */
export const cancelRequests = pgTable(
  "cancel_requests",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    // Which subscription the reader named, if any (as shown in the receipt: sub_…).
    subscriptionRef: text("subscription_ref"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("cancel_requests_email_lower_case", sql`${t.email} = lower(${t.email})`)],
);

/**
 * A mailed cancel link: one subscription, bound to the owner and the address it was mailed to,
 * used once, expiring. Only the token's SHA-256 is kept.
 */
export const cancelLinks = pgTable(
  "cancel_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    stripeSubscriptionId: text("stripe_subscription_id").notNull(),
    // What the link does: cancel at period end, or withdraw from the contract (EU, 14 days).
    purpose: text("purpose", { enum: ["cancel", "withdraw"] }).notNull().default("cancel"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("cancel_links_expires_idx").on(t.expiresAt)],
);

export const cancellationState = pgEnum("cancellation_state", ["pending", "done", "failed", "withdrawn"]);

/**
 * A reader's cancel, recorded before Stripe is asked (with its receipt, in one transaction), so
 * it holds even while Stripe is down: `pending` until Stripe has set cancel at period end
 * (retried by lib/retention/retention-sweep.ts), `failed` when Stripe refused it for good, `withdrawn` when the reader resumed before Stripe heard of it.
 */
export const cancellations = pgTable(
  "cancellations",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    stripeSubscriptionId: text("stripe_subscription_id").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    via: text("via", { enum: ["account", "mailed_link", "account_deletion"] }).notNull(),
    reason: text("reason"),
    // Ends the subscription at once (an account deletion) rather than with its period.
    atOnce: boolean("at_once").notNull().default(false),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    state: cancellationState("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    // One open cancel per subscription: a second click or tab finds it.
    uniqueIndex("cancellations_pending_subscription_idx").on(t.stripeSubscriptionId).where(sql`${t.state} = 'pending'`),
    index("cancellations_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
  ],
);

export const withdrawalState = pgEnum("withdrawal_state", ["pending", "done", "failed"]);

/**
 * A reader's withdrawal from the contract within 14 days of purchase (EU): recorded with its
 * receipt before Stripe is asked (our row ends at once), then Stripe ends the subscription and
 * refunds, retried by the retention sweep. One per subscription, so a replay refunds nothing
 * more. The refund is fixed when recorded: what was paid, and what the publisher's rule keeps.
 */
export const withdrawals = pgTable(
  "withdrawals",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    stripeSubscriptionId: text("stripe_subscription_id").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    via: text("via", { enum: ["account", "mailed_link", "account_deletion"] }).notNull(),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    // The paid invoice refunded (null: nothing was paid, a trial), in its currency's minor units.
    stripeInvoiceId: text("stripe_invoice_id"),
    currency: text("currency"),
    amountPaid: integer("amount_paid").notNull().default(0),
    refundAmount: integer("refund_amount").notNull().default(0),
    refundRule: text("refund_rule", { enum: ["full_refund", "pro_rata_refund"] }).notNull(),
    // Pro rata: days read of the days the payment covered (lib/retention/withdrawal-refund.ts).
    daysRead: integer("days_read"),
    daysPaid: integer("days_paid"),
    state: withdrawalState("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    stripeRefundId: text("stripe_refund_id"),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("withdrawals_subscription_idx").on(t.stripeSubscriptionId),
    index("withdrawals_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    check("withdrawals_refund_within_paid", sql`${t.refundAmount} >= 0 and ${t.refundAmount} <= ${t.amountPaid}`),
  ],
);

export type CancelLink = typeof cancelLinks.$inferSelect;
export type Withdrawal = typeof withdrawals.$inferSelect;
export type Cancellation = typeof cancellations.$inferSelect;

// --- Segments ---

export const segmentDevice = pgEnum("segment_device", ["mobile", "tablet", "desktop"]);
export const segmentFrequency = pgEnum("segment_frequency", ["new", "returning", "loyal"]);

/**
 * A segment rule (lib/segments, docs/segments.md): conditions on what a request already carries
 * (null: any) and the paywall settings it sets (null: the site's). The lowest position that
 * matches wins.
 */
export const segmentRules = pgTable(
  "segment_rules",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    referrerClasses: sourceClass("referrer_classes").array(),
    signedIn: boolean("signed_in"),
    newsletterSubscriber: boolean("newsletter_subscriber"),
    frequencies: segmentFrequency("frequencies").array(),
    devices: segmentDevice("devices").array(),
    countries: text("countries").array(),
    anonymousLimit: integer("anonymous_limit"),
    registeredLimit: integer("registered_limit"),
    leadInBlocks: integer("lead_in_blocks"),
    // true: anonymous readers get no free article and the card asks them to register; false: the card never asks.
    registrationWall: boolean("registration_wall"),
    paywallHeading: text("paywall_heading"),
    paywallBody: text("paywall_body"),
    paywallButton: text("paywall_button"),
    featuredOfferId: integer("featured_offer_id").references(() => offers.id, { onDelete: "set null" }),
    noOffer: boolean("no_offer").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("segment_rules_position_idx").on(t.position)],
);

export type SegmentRuleRow = typeof segmentRules.$inferSelect;

// --- Experiments ---

export const experimentState = pgEnum("experiment_state", ["draft", "running", "stopped"]);

/** A paywall experiment: 2–5 variants, started once and stopped once (lib/experiments, docs/experiments.md). */
export const experiments = pgTable("experiments", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  name: text("name").notNull(),
  // The assignment hash's key: random per experiment, never shown, so no one can pick an id for a variant.
  salt: text("salt").notNull(),
  state: experimentState("state").notNull().default("draft"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp("started_at", { withTimezone: true }),
  stoppedAt: timestamp("stopped_at", { withTimezone: true }),
  // The variant whose settings were applied as the site's default, once.
  appliedVariantId: integer("applied_variant_id"),
  // Only readers matching this segment rule are assigned; null: every reader.
  segmentId: integer("segment_id").references(() => segmentRules.id, { onDelete: "set null" }),
});

/**
 * A variant: its share of the traffic and the settings it changes (null: the site's setting).
 * Position 0 is the control. Frozen once the experiment starts.
 */
export const experimentVariants = pgTable(
  "experiment_variants",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    experimentId: integer("experiment_id")
      .notNull()
      .references(() => experiments.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    weight: integer("weight").notNull(),
    anonymousLimit: integer("anonymous_limit"),
    registeredLimit: integer("registered_limit"),
    leadInBlocks: integer("lead_in_blocks"),
    paywallHeading: text("paywall_heading"),
    paywallBody: text("paywall_body"),
    paywallButton: text("paywall_button"),
    featuredOfferId: integer("featured_offer_id").references(() => offers.id, { onDelete: "set null" }),
    // The card shows no featured offer (the site's featured one is not shown either).
    noOffer: boolean("no_offer").notNull().default(false),
    planOrder: integer("plan_order").array(),
    defaultPlanId: integer("default_plan_id").references(() => plans.id, { onDelete: "set null" }),
  },
  (t) => [
    unique("experiment_variants_position_unique").on(t.experimentId, t.position),
    check("experiment_variants_weight_positive", sql`${t.weight} > 0`),
  ],
);

export const experimentEventType = pgEnum("experiment_event_type", ["reader", "paywall_view"]);

/** Per-variant counts off the reading path (a browser's first sight of a variant, its paywall views), written in batches. */
export const experimentEvents = pgTable(
  "experiment_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    variantId: integer("variant_id")
      .notNull()
      .references(() => experimentVariants.id, { onDelete: "cascade" }),
    type: experimentEventType("type").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    count: integer("count").notNull().default(1),
  },
  (t) => [index("experiment_events_variant_idx").on(t.variantId, t.type)],
);

export type Experiment = typeof experiments.$inferSelect;
export type ExperimentVariant = typeof experimentVariants.$inferSelect;
export type ExperimentEventType = (typeof experimentEventType.enumValues)[number];

// --- Gift subscriptions: months of a plan bought for someone else (lib/gift-subscriptions) ---

/**
 * A gift subscription: bought by a signed-in reader with one Checkout payment, mailed to the
 * recipient on `deliverOn` (a date in the site's time zone) with a one-time redeem link (only its
 * SHA-256 is kept; a resend replaces it), redeemed by the recipient's verified account into a
 * grant (grants.gift_subscription_id). Nothing reads until `paidAt` is set from Stripe's copy.
 */
export const giftSubscriptions = pgTable(
  "gift_subscriptions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    buyerUserId: text("buyer_user_id").references(() => users.id, { onDelete: "set null" }),
    buyerEmail: text("buyer_email").notNull(),
    recipientEmail: text("recipient_email").notNull(),
    message: text("message").notNull().default(""),
    planId: integer("plan_id").references(() => plans.id, { onDelete: "set null" }),
    // The plan's name when bought: what the mails and the admin list say.
    planName: text("plan_name").notNull(),
    months: integer("months").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    deliverOn: date("deliver_on", { mode: "string" }).notNull(),
    stripeSessionId: text("stripe_session_id").notNull().unique(),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    paidAt: timestamp("paid_at", { withTimezone: true }),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    // How many redeem links were mailed (the first delivery and each resend): each mail's key.
    mailings: integer("mailings").notNull().default(0),
    tokenHash: text("token_hash").unique(),
    redeemedAt: timestamp("redeemed_at", { withTimezone: true }),
    redeemedBy: text("redeemed_by").references(() => users.id, { onDelete: "set null" }),
    refundedAt: timestamp("refunded_at", { withTimezone: true }),
    stripeRefundId: text("stripe_refund_id"),
  },
  (t) => [
    check("gift_subscriptions_months", sql`${t.months} in (1, 3, 6, 12)`),
    check("gift_subscriptions_amount_non_negative", sql`${t.amount} >= 0`),
    check("gift_subscriptions_recipient_lower_case", sql`${t.recipientEmail} = lower(${t.recipientEmail})`),
    check("gift_subscriptions_redeemed_once", sql`${t.redeemedAt} is null or ${t.refundedAt} is null`),
    // The delivery sweep looks only at paid gifts not yet delivered.
    index("gift_subscriptions_due_idx").on(t.deliverOn).where(sql`${t.paidAt} is not null and ${t.deliveredAt} is null and ${t.refundedAt} is null`),
  ],
);

export type GiftSubscription = typeof giftSubscriptions.$inferSelect;

// --- Family plans: one subscription read by up to N accounts, the payer included (lib/family) ---

/** A reader sharing a payer's family subscription: they read while that subscription reads for its payer. */
export const familyMembers = pgTable(
  "family_members",
  {
    stripeSubscriptionId: text("stripe_subscription_id")
      .notNull()
      .references(() => subscriptions.stripeSubscriptionId, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
    // A place ended by the payer (removed) or the member (left) is kept, freed: a removed member is told their family subscription ended.
    endedAt: timestamp("ended_at", { withTimezone: true }),
    endedBy: text("ended_by", { enum: ["payer", "member"] }),
  },
  (t) => [
    primaryKey({ columns: [t.stripeSubscriptionId, t.userId] }),
    index("family_members_user_idx").on(t.userId),
    check("family_members_ended_by", sql`(${t.endedAt} is null) = (${t.endedBy} is null)`),
  ],
);

/** The payer's invitation to one address: only the token's SHA-256 is stored. */
export const familyInvites = pgTable(
  "family_invites",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    stripeSubscriptionId: text("stripe_subscription_id")
      .notNull()
      .references(() => subscriptions.stripeSubscriptionId, { onDelete: "cascade" }),
    email: text("email").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    check("family_invites_email_lower_case", sql`${t.email} = lower(${t.email})`),
    // One open invitation per address and subscription: inviting again replaces it.
    uniqueIndex("family_invites_open_idx").on(t.stripeSubscriptionId, t.email).where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
  ],
);
