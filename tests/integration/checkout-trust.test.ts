import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Auth } from "@auth/core";
import { and, eq, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingMails, plans, sessions, stripeCustomers, subscriptions, users } from "@/db/schema";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { startSmtpSink } from "@/tools/smtp-sink";
import { startBillingApp, type BillingApp } from "./support/billing-app";
import { engines } from "./support/databases";

const SITE = "http://ledger.test";

// Who may gain what from a checkout: a payment and an email typed at Checkout prove nothing
// about who is paying. Against the emulator, the real webhook route and a real SMTP sink.
describe.each(engines)("checkout trust on %s", (engine) => {
  let app: BillingApp;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  const mailbox = fs.mkdtempSync(path.join(os.tmpdir(), "masthead-trust-mail-"));
  let holdWebhooks = false;

  beforeAll(async () => {
    sink = await startSmtpSink({ dir: mailbox });
    Object.assign(process.env, { EMAIL_SERVER: sink.url, ADMIN_EMAILS: "chief@ledger.test,new-editor@ledger.test" });
    app = await startBillingApp(engine, {
      key: "sk_test_trust",
      secret: "whsec_trust_0123456789abcdef0123456789",
      // While held, the app answers 503 and Stripe retries later: the return page comes first.
      intercept: () => (holdWebhooks ? 503 : null),
    });
  });
  afterAll(async () => {
    await app.close();
    await sink.close();
  });

  const db = () => app.db();
  const monthly = async () => (await (await db()).select().from(plans).where(eq(plans.name, "Monthly")))[0]!;
  const userByEmail = async (email: string) => (await (await db()).select().from(users).where(eq(users.email, email)))[0];

  async function existingAccount(email: string, role: "admin" | "reader") {
    const [user] = await (await db()).insert(users).values({ email, role, emailVerified: new Date() }).returning();
    return user!;
  }

  /** An anonymous reader pays at Checkout with `typed` as the email; returns what the return page gives this browser. */
  async function anonymousCheckout(typed: string, options: { returnFirst?: boolean } = {}) {
    const { startCheckout } = await import("@/lib/billing/checkout");
    const { completeCheckoutReturn } = await import("@/lib/billing/checkout-return");
    const start = await startCheckout(await db(), { user: null, planId: (await monthly()).id, returnPath: "/articles/x" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    holdWebhooks = options.returnFirst ?? false;
    const paid = await app.pay(start.url, "4242424242424242", typed);
    expect(paid.status).toBe(303);
    if (!options.returnFirst) await app.settle();
    const sessionId = new URL(paid.headers.get("location")!).searchParams.get("session_id")!;
    const back = await completeCheckoutReturn(await db(), { sessionId, nonce: start.nonce, currentUserId: null });
    holdWebhooks = false;
    await app.settle();
    const session = await app.api.checkout.sessions.retrieve(sessionId);
    return { back, sessionId, subscriptionId: session.subscription as string, customerId: session.customer as string };
  }

  async function confirm(link: URL): Promise<Response> {
    const { authConfig } = await import("@/lib/auth/auth");
    const params = new URLSearchParams({ token: link.searchParams.get("token")!, email: link.searchParams.get("email")!, callbackUrl: "/" });
    return Auth(new Request(`${SITE}/api/auth/callback/nodemailer?${params}`, { method: "POST" }), await authConfig());
  }

  async function linkMailedTo(email: string, after: Date): Promise<URL> {
    const message = await waitForMessage(mailbox, { to: email, after, timeoutMs: 10_000 });
    return new URL(messageLinks(message).find((l) => l.includes("/signin/confirm"))!);
  }

  it.each([
    ["an admin's", "chief@ledger.test", "admin", "Chief@Ledger.TEST", false],
    ["a reader's", "reader@ledger.test", "reader", "reader@ledger.test", true],
  ] as const)("typing %s email at Checkout signs nobody in: the owner gets the subscription and a sign-in link", async (_, email, role, typed, returnFirst) => {
    const owner = await existingAccount(email, role);
    const asked = new Date(Date.now() - 1000);
    const { back, subscriptionId } = await anonymousCheckout(typed, { returnFirst });
    expect(back).toEqual({ kind: "link-sent", ownerUserId: owner.id, returnPath: "/articles/x", maskedEmail: `${email[0]}•••@ledger.test`, alreadySubscribed: false });
    // The subscription is the owner's, and no session was made for anyone.
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeSubscriptionId, subscriptionId));
    expect(sub!.userId).toBe(owner.id);
    expect(await (await db()).select().from(sessions).where(eq(sessions.userId, owner.id))).toEqual([]);
    expect(await (await db()).select({ n: sql<number>`count(*)::int` }).from(users).where(sql`lower(${users.email}) = ${email}`)).toEqual([{ n: 1 }]);
    // The link went to the account's own address, and it signs the owner in.
    const link = await linkMailedTo(email, asked);
    expect((await confirm(link)).headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    expect((await userByEmail(email))!.role).toBe(role);
  });

  it("the owner of an account that existed gets the sign-in link even if the buyer never comes back, once", async () => {
    const email = "closed-the-tab@ledger.test";
    const owner = await existingAccount(email, "reader");
    const asked = new Date(Date.now() - 1000);
    const { startCheckout } = await import("@/lib/billing/checkout");
    const start = await startCheckout(await db(), { user: null, planId: (await monthly()).id, returnPath: "/articles/x" });
    if (start.kind !== "checkout") throw new Error("expected a checkout");
    const paid = await app.pay(start.url, "4242424242424242", email);
    expect(paid.status).toBe(303);
    await app.settle(); // the webhook only: the buyer closed the tab
    const sent = await waitForMessage(mailbox, { to: email, after: asked, timeoutMs: 10_000 });
    expect(messageLinks(sent).some((l) => l.includes("/signin/confirm"))).toBe(true);
    const [row] = await (await db()).select().from(billingMails).where(eq(billingMails.userId, owner.id));
    expect(row).toMatchObject({ state: "sent", key: expect.stringMatching(/^checkout:cs_/) });

    // The buyer comes back after all (and the webhook is delivered again): still one email.
    const { completeCheckoutReturn } = await import("@/lib/billing/checkout-return");
    const sessionId = new URL(paid.headers.get("location")!).searchParams.get("session_id")!;
    expect(await completeCheckoutReturn(await db(), { sessionId, nonce: start.nonce, currentUserId: null })).toMatchObject({ kind: "link-sent" });
    await app.settle();
    expect((await listMailboxMessages(mailbox, { to: email })).length).toBe(1);
  });

  it("a brand-new email is signed in by its checkout, unverified and not an admin even in ADMIN_EMAILS, until its emailed link", async () => {
    const asked = new Date(Date.now() - 1000);
    const { back } = await anonymousCheckout("New-Editor@ledger.test", { returnFirst: true });
    expect(back.kind === "done" && back.session?.value).toBeTruthy();
    const checkoutSession = (back as { session: { value: string } }).session.value;
    const created = (await userByEmail("new-editor@ledger.test"))!;
    expect(created).toMatchObject({ emailVerified: null, role: "reader" });

    // One notion of a session: Auth.js sees it too, so asking it (any client library does) keeps the buyer signed in.
    const { authConfig } = await import("@/lib/auth/auth");
    const fromBuyer = new Request(`${SITE}/api/auth/session`, { headers: { cookie: `authjs.session-token=${checkoutSession}` } });
    const answer = await Auth(fromBuyer, await authConfig(fromBuyer));
    expect(await answer.json()).toMatchObject({ user: { email: "new-editor@ledger.test" } });
    expect(answer.headers.getSetCookie().filter((c) => c.startsWith("authjs.session-token="))).toEqual([expect.stringMatching(new RegExp(`^authjs\\.session-token=${checkoutSession};`))]);
    expect(await (await db()).select().from(sessions).where(eq(sessions.sessionToken, checkoutSession))).toHaveLength(1);
    // But from that browser no OAuth identity is linked to the unproven account: Auth.js's signIn
    // callback sends it to confirm the address first. The emailed link may go on, and so may an
    // OAuth sign-in from a browser without that session.
    const { signIn } = (await authConfig(fromBuyer)).callbacks!;
    const github = { type: "oauth" as const, provider: "github", providerAccountId: "4242" };
    const profile = { email: "new-editor@ledger.test", name: "Someone" };
    expect(await signIn!({ user: { email: profile.email }, account: github, profile })).toBe("/signin/error?error=ConfirmEmailFirst");
    expect(await signIn!({ user: { email: profile.email }, account: { type: "email", provider: "nodemailer", providerAccountId: profile.email } })).toBe(true);
    const elsewhere = new Request(`${SITE}/api/auth/callback/github`);
    expect(await (await authConfig(elsewhere)).callbacks!.signIn!({ user: { email: profile.email }, account: github, profile })).toBe(true);
    const { onSignedIn } = await import("@/lib/auth/on-signed-in");
    await onSignedIn(created.id);
    expect((await userByEmail("new-editor@ledger.test"))!.role).toBe("reader");

    // The welcome email's link proves the address: admin now, and the checkout's session is over.
    const link = await linkMailedTo("new-editor@ledger.test", asked);
    const signedIn = await confirm(link);
    expect(signedIn.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(true);
    const verified = (await userByEmail("new-editor@ledger.test"))!;
    expect(verified.emailVerified).not.toBeNull();
    expect(verified.role).toBe("admin");
    expect(await (await db()).select().from(sessions).where(eq(sessions.sessionToken, checkoutSession))).toEqual([]);
    expect(await (await db()).select().from(sessions).where(eq(sessions.userId, verified.id))).toHaveLength(1);
  });

  it("a second purchase with the same email is linked to the same account through a second customer, and both are listed", async () => {
    const first = await anonymousCheckout("twice@ledger.test");
    expect(first.back.kind).toBe("done");
    const second = await anonymousCheckout("TWICE@ledger.test");
    expect(second.customerId).not.toBe(first.customerId);
    expect(second.back).toMatchObject({ kind: "link-sent", alreadySubscribed: true });
    const user = (await userByEmail("twice@ledger.test"))!;
    const customers = await (await db()).select().from(stripeCustomers).where(eq(stripeCustomers.userId, user.id));
    expect(customers.map((c) => c.stripeCustomerId).sort()).toEqual([first.customerId, second.customerId].sort());

    const { accountBilling } = await import("@/lib/billing/account-billing");
    const billing = await accountBilling(await db(), user.id);
    expect(billing.subscriptions.map((s) => s.id).sort()).toEqual([first.subscriptionId, second.subscriptionId].sort());
    expect(billing.subscriptions.every((s) => s.entitled)).toBe(true);

    // Each subscription's "Manage" opens the portal for its own customer; another reader's is refused.
    const { createPortalUrl, NoCustomerError } = await import("@/lib/billing/portal");
    for (const [own, other] of [[first, second], [second, first]] as const) {
      const page = await (await fetch(await createPortalUrl(await db(), user.id, `${SITE}/account`, own.subscriptionId))).text();
      expect(page).toContain(own.subscriptionId);
      expect(page).not.toContain(other.subscriptionId);
    }
    const stranger = await existingAccount("stranger@ledger.test", "reader");
    await expect(createPortalUrl(await db(), stranger.id, `${SITE}/account`, first.subscriptionId)).rejects.toBeInstanceOf(NoCustomerError);

    const { billingChecks } = await import("@/lib/admin/subscribers/billing-checks");
    const checks = await billingChecks(await db());
    expect(checks.unlinked).toEqual([]);
    expect(checks.severalLive).toContainEqual({ userId: user.id, email: "twice@ledger.test", live: 2 });
  });

  it("a subscription made by hand in Stripe for a customer we never saw goes to the account of its email", async () => {
    const customer = await app.api.customers.create({ email: "Desk@Ledger.test" });
    const price = (await monthly()).stripePriceId!;
    const session = await app.api.checkout.sessions.create({ mode: "subscription", customer: customer.id, line_items: [{ price, quantity: 1 }], success_url: `${SITE}/ok`, cancel_url: `${SITE}/no` });
    holdWebhooks = true; // only the subscription events, in the retry order Stripe picks
    await app.pay(session.url!, "4242424242424242", "desk@ledger.test");
    const created = (await app.api.events.list({ type: "customer.subscription.created", limit: 50 })).data.find((e) => (e.data.object as Stripe.Subscription).customer === customer.id)!;
    const { processStripeEvent } = await import("@/lib/billing/process-event");
    expect(await processStripeEvent(await db(), created)).toBe("processed");
    holdWebhooks = false;
    await app.settle();
    const owner = (await userByEmail("desk@ledger.test"))!;
    expect(owner.emailVerified).toBeNull();
    const [sub] = await (await db()).select().from(subscriptions).where(eq(subscriptions.stripeCustomerId, customer.id));
    expect(sub!.userId).toBe(owner.id);
  });

  it("after a storm of duplicated, reordered deliveries every paid subscription belongs to an account", async () => {
    for (const email of ["storm-a@ledger.test", "storm-b@ledger.test", "Storm-A@ledger.test"]) await anonymousCheckout(email);
    const events = (await app.api.events.list({ limit: 100 })).data;
    const { processStripeEvent } = await import("@/lib/billing/process-event");
    const { stripeEvents } = await import("@/db/schema");
    await (await db()).delete(stripeEvents);
    const storm = [...events.slice().reverse(), ...events, ...events.slice(0, 20)];
    // Eight deliveries at a time, as Stripe's concurrent retries would arrive.
    for (let i = 0; i < storm.length; i += 8) await Promise.all(storm.slice(i, i + 8).map(async (event) => processStripeEvent(await db(), event)));
    const { billingChecks } = await import("@/lib/admin/subscribers/billing-checks");
    expect((await billingChecks(await db())).unlinked).toEqual([]);
    const waiting = await (await db()).select().from(stripeEvents).where(and(eq(stripeEvents.state, "waiting_for_customer")));
    expect(waiting).toEqual([]);
  });
});
