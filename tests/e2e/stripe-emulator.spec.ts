/**
 * The Stripe emulator's hosted pages in a real browser: checkout with each test card, and the
 * billing portal (cancel, resume, switch plan, return). The spec starts its own emulator.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import Stripe from "stripe";
import { startStripeEmulator, type StripeEmulator } from "../../tools/stripe-emulator/index";

let emulator: StripeEmulator;
let stripe: Stripe;
let monthly: Stripe.Price;
let yearly: Stripe.Price;

test.beforeAll(async () => {
  emulator = await startStripeEmulator({ port: 0, log: false, tickMs: false });
  stripe = new Stripe("sk_test_e2e", { host: "127.0.0.1", port: emulator.port, protocol: "http", maxNetworkRetries: 0 });
  const product = await stripe.products.create({ name: "Masthead Digital" });
  monthly = await stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 900, nickname: "Monthly", recurring: { interval: "month" } });
  yearly = await stripe.prices.create({ product: product.id, currency: "eur", unit_amount: 9000, nickname: "Yearly", recurring: { interval: "year" } });
});

test.afterAll(async () => {
  await emulator?.close();
});

async function newSession(extra: Partial<Stripe.Checkout.SessionCreateParams> = {}) {
  return stripe.checkout.sessions.create({
    mode: "subscription",
    line_items: [{ price: monthly.id }],
    success_url: `${emulator.url}/?session_id={CHECKOUT_SESSION_ID}`,
    cancel_url: `${emulator.url}/?canceled=1`,
    ...extra,
  });
}

async function pay(page: Page, card: string, email = "reader@example.com") {
  const emailInput = page.getByLabel("Email");
  if (email && (await emailInput.isEditable())) await emailInput.fill(email);
  await page.getByLabel("Card number").fill(card);
  await page.getByRole("button", { name: "Pay" }).click();
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("4242 pays, creates the subscription and returns to success_url", async ({ page }) => {
  const session = await newSession({ client_reference_id: "reader-1" });
  await page.goto(session.url ?? "");
  await expect(page.getByRole("heading", { level: 1, name: "Subscribe to Masthead Digital" })).toBeVisible();
  await expect(page.getByText("€9.00 per month")).toBeVisible();
  await expectAccessible(page);
  await pay(page, "4242 4242 4242 4242", "browser@example.com");
  await page.waitForURL(`${emulator.url}/?session_id=${session.id}`);

  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
  expect(done).toMatchObject({ status: "complete", payment_status: "paid", client_reference_id: "reader-1" });
  expect(done.customer_details?.email).toBe("browser@example.com");
  expect((done.subscription as Stripe.Subscription).status).toBe("active");
});

test("4000 0000 0000 0002 is declined on the page and the session stays open", async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? "");
  await pay(page, "4000 0000 0000 0002", "declined@example.com");
  await expect(page.getByRole("alert")).toHaveText("Your card was declined.");
  await expect(page.getByLabel("Email")).toHaveValue("declined@example.com");
  await expectAccessible(page);
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");

  await pay(page, "4242424242424242", "");
  await page.waitForURL(/session_id=cs_test_/);
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("complete");
});

test("4000 0000 0000 0341 pays now and fails at the next renewal", async ({ page }) => {
  const customer = await stripe.customers.create({ email: "known@example.com" });
  const session = await newSession({ customer: customer.id });
  await page.goto(session.url ?? "");
  await expect(page.getByLabel("Email")).toHaveValue("known@example.com");
  await expect(page.getByLabel("Email")).toHaveAttribute("readonly", "");
  await pay(page, "4000 0000 0000 0341");
  await page.waitForURL(/session_id=cs_test_/);

  const { subscription } = await stripe.checkout.sessions.retrieve(session.id);
  const active = await stripe.subscriptions.retrieve(subscription as string);
  expect(active.status).toBe("active");
  const periodEnd = active.items.data[0]?.current_period_end ?? 0;
  const response = await fetch(`${emulator.url}/_emulator/clock`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ advance_seconds: periodEnd - emulator.now() + 60 }),
  });
  expect(response.status).toBe(200);
  expect((await stripe.subscriptions.retrieve(active.id)).status).toBe("past_due");
});

test("the cancel link goes back to cancel_url", async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? "");
  await page.getByRole("link", { name: "Cancel and return" }).click();
  await page.waitForURL(`${emulator.url}/?canceled=1`);
  expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
});

test("the billing portal cancels, resumes, switches plan and returns", async ({ page }) => {
  const session = await newSession();
  await page.goto(session.url ?? "");
  await pay(page, "4242 4242 4242 4242", "portal@example.com");
  await page.waitForURL(/session_id=/);
  const { subscription, customer } = await stripe.checkout.sessions.retrieve(session.id);
  const subscriptionId = subscription as string;

  const portal = await stripe.billingPortal.sessions.create({ customer: customer as string, return_url: `${emulator.url}/?returned=1` });
  await page.goto(portal.url);
  await expect(page.getByRole("heading", { level: 1, name: "Manage your subscription" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Masthead Digital" })).toBeVisible();
  await expect(page.getByText("Monthly: €9.00 per month")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByRole("status")).toHaveText(/canceled at the end of the current period/);
  await expect(page.getByText(/Cancels on/)).toBeVisible();
  expect((await stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(true);

  await page.getByRole("button", { name: "Resume subscription" }).click();
  await expect(page.getByRole("status")).toHaveText("Your subscription will continue.");
  expect((await stripe.subscriptions.retrieve(subscriptionId)).cancel_at_period_end).toBe(false);

  await page.getByLabel("Yearly: €90.00 per year").check();
  await page.getByRole("button", { name: "Switch plan" }).click();
  await expect(page.getByRole("status")).toHaveText("Your plan has been changed.");
  await expect(page.getByText("Yearly: €90.00 per year").first()).toBeVisible();
  const switched = await stripe.subscriptions.retrieve(subscriptionId);
  expect(switched.items.data[0]?.price.id).toBe(yearly.id);
  await expectAccessible(page);

  await page.getByRole("link", { name: "Return to the site" }).click();
  await page.waitForURL(`${emulator.url}/?returned=1`);
});
