import { expect, test, type Page } from "@playwright/test";
import { metered, subscribersOnly } from "./support/demo-content";
import { STRIPE_URL } from "./support/env";
import { expectInvoiceListed } from "./support/invoices";
import { adminPage, signIn } from "./support/sign-in";
import { advanceStripeClock } from "./support/stripe-clock";
import { articleAccess, uniqueAddress } from "./support/reader";


/** An anonymous reader hits the paywall on `article` and pays with `card` on the emulated Checkout. */
async function subscribeFromPaywall(page: Page, articlePath: string, card: string, email: string) {
  await page.goto(articlePath);
  expect(await articleAccess(page)).toBe("preview");
  await expect(page.getByText("Test mode: payments are emulated")).toBeVisible();
  await page.locator("[data-paywall]").getByRole("button", { name: "Choose Monthly" }).click();
  await expect(page.getByText("$8.00 per month", { exact: true })).toBeVisible();
  // The terms the reader agrees to, above Pay (kept as the consent record once paid).
  await expect(page.locator("[data-terms]")).toContainText("Monthly: $8.00 per month, charged today and then every month until you cancel. It renews automatically.");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Card number").fill(card);
  await page.getByRole("button", { name: "Pay" }).click();
}

test("an anonymous reader over the meter subscribes with 4242 and lands back on the same article in full, with a receipt shown once; a second browser signs in and reads in full", async ({ page, browser }) => {
  // A newsletter for paying subscribers: paying signs the reader up to it.
  const letter = `Subscribers' Letter ${Date.now().toString(36)}`;
  const admin = await adminPage(browser, "/admin/newsletters");
  const create = admin.getByRole("form", { name: "New newsletter" });
  await create.getByLabel("Name", { exact: true }).fill(letter);
  await create.getByLabel("Sender name").fill("The Ledger");
  await create.getByLabel("Who may subscribe").selectOption("paid");
  await create.getByRole("button", { name: "Create newsletter" }).click();
  await admin.waitForURL(/\/admin\/newsletters\/\d+/);
  await admin.context().close();

  for (const article of metered.slice(0, 3)) await page.goto(article.path);
  const target = metered[3]!;
  const email = uniqueAddress("subscriber");
  // The header by reader state, from cookies alone: a stranger is offered Sign in and Subscribe.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Subscribe" })).toBeVisible();
  await subscribeFromPaywall(page, target.path, "4242 4242 4242 4242", email);
  await page.waitForURL((url) => url.pathname === target.path);
  expect(await articleAccess(page)).toBe("full");
  await expect(page.getByText(target.lastParagraph)).toBeVisible();
  const receipt = page.locator("[data-receipt]");
  await expect(receipt).toContainText("you now subscribe to Monthly");
  await expect(receipt).toContainText("Paid today: $8.00");
  await expect(receipt).toContainText(/Next payment: \$8\.00 on [A-Z][a-z]+ \d{1,2}, \d{4}/);
  await expect(receipt).toContainText(`Your receipt is on its way to ${email}`);
  await page.reload();
  await expect(receipt).toHaveCount(0);
  // A subscriber gets Account and no Subscribe button, on the article and on the other pages.
  for (const path of [target.path, "/"]) {
    await page.goto(path);
    await expect(nav.getByRole("link", { name: "Account" })).toBeVisible();
    await expect(nav.getByRole("link", { name: "Subscribe" })).toHaveCount(0);
    await expect(nav.getByRole("link", { name: "Sign in" })).toHaveCount(0);
  }
  await page.goto(subscribersOnly[0]!.path);
  expect(await articleAccess(page)).toBe("full");
  await page.goto("/account");
  await expect(page.getByTestId("plan")).toHaveText("Monthly");
  await expect(page.getByTestId("status")).toHaveText("Active");
  await expect(page.getByTestId("next-payment")).toHaveText(/^\$8\.00 on [A-Z][a-z]+ \d{1,2}, \d{4}$/);
  await expectInvoiceListed(page, "$8.00");
  await expect(page.getByRole("link", { name: /^View invoice/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Your gifts" })).toHaveAttribute("href", "/account/gifts");
  // Signed up to the paid newsletter, and free to leave it.
  await expect(page.getByTestId("newsletter-preferences").getByLabel(letter)).toBeChecked();

  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, email, subscribersOnly[1]!.path);
  expect(await articleAccess(second)).toBe("full");
  await other.close();
});

test("a declined card stays on Checkout with a message", async ({ page }) => {
  await subscribeFromPaywall(page, subscribersOnly[0]!.path, "4000 0000 0000 0002", uniqueAddress("declined"));
  await expect(page.getByText("Your card was declined.")).toBeVisible();
  expect(new URL(page.url()).origin).toBe(STRIPE_URL);
});

test("cancelling in the portal keeps access until the period ends, then the paywall returns", async ({ page }) => {
  const locked = subscribersOnly[0]!;
  await subscribeFromPaywall(page, locked.path, "4242424242424242", uniqueAddress("canceller"));
  await page.waitForURL((url) => url.pathname === locked.path);
  expect(await articleAccess(page)).toBe("full");

  await page.goto("/account");
  await page.getByRole("button", { name: "Manage subscription" }).click();
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByText(/Cancels on/)).toBeVisible();
  await page.getByRole("link", { name: "Return to the site" }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await expect(page.getByText("Access ends on")).toBeVisible();

  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("full");
  await advanceStripeClock(20);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("full");
  await advanceStripeClock(12);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");
  await expect(page.locator("[data-paywall]")).toBeVisible();
});

test("a renewal that fails (…0341) keeps access through the grace period, then locks", async ({ page }) => {
  const locked = subscribersOnly[1]!;
  await subscribeFromPaywall(page, locked.path, "4000 0000 0000 0341", uniqueAddress("failing"));
  await page.waitForURL((url) => url.pathname === locked.path);
  expect(await articleAccess(page)).toBe("full");
  await advanceStripeClock(31); // the renewal fails: past_due
  await page.goto("/account");
  await expect(page.getByTestId("status")).toHaveText(/Payment failed/);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("full");
  await advanceStripeClock(3); // the retry fails too, and the grace period is over
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");
});
