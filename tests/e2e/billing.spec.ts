import { expect, test, type Page } from "@playwright/test";
import { metered, subscribersOnly } from "./support/demo-content";
import { STRIPE_URL } from "./support/env";
import { signIn } from "./support/sign-in";
import { advanceStripeClock } from "./support/stripe-clock";

const access = (page: Page) => page.locator("article[data-access]").getAttribute("data-access");
const unique = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@readers.test`;

/** An anonymous reader hits the paywall on `article` and pays with `card` on the emulated Checkout. */
async function subscribeFromPaywall(page: Page, articlePath: string, card: string, email: string) {
  await page.goto(articlePath);
  expect(await access(page)).toBe("preview");
  await expect(page.getByText("Test mode: payments are emulated")).toBeVisible();
  await page.locator("[data-paywall]").getByRole("button", { name: "Choose Monthly" }).click();
  await expect(page.getByText("$8.00")).toBeVisible();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Card number").fill(card);
  await page.getByRole("button", { name: "Pay" }).click();
}

test("an anonymous reader over the meter subscribes with 4242 and lands back on the same article in full; a second browser signs in and reads in full", async ({ page, browser }) => {
  for (const article of metered.slice(0, 3)) await page.goto(article.path);
  const target = metered[3]!;
  const email = unique("subscriber");
  await subscribeFromPaywall(page, target.path, "4242 4242 4242 4242", email);
  await page.waitForURL((url) => url.pathname === target.path);
  expect(await access(page)).toBe("full");
  await expect(page.getByText(target.lastParagraph)).toBeVisible();
  await page.goto(subscribersOnly[0]!.path);
  expect(await access(page)).toBe("full");
  await page.goto("/account");
  await expect(page.getByTestId("plan")).toHaveText("Monthly");
  await expect(page.getByTestId("status")).toHaveText("Active");
  await expect(page.getByRole("cell", { name: "$8.00" })).toBeVisible();

  const other = await browser.newContext();
  const second = await other.newPage();
  await signIn(second, email, subscribersOnly[1]!.path);
  expect(await access(second)).toBe("full");
  await other.close();
});

test("a declined card stays on Checkout with a message", async ({ page }) => {
  await subscribeFromPaywall(page, subscribersOnly[0]!.path, "4000 0000 0000 0002", unique("declined"));
  await expect(page.getByText("Your card was declined.")).toBeVisible();
  expect(new URL(page.url()).origin).toBe(STRIPE_URL);
});

test("cancelling in the portal keeps access until the period ends, then the paywall returns", async ({ page }) => {
  const locked = subscribersOnly[0]!;
  await subscribeFromPaywall(page, locked.path, "4242424242424242", unique("canceller"));
  await page.waitForURL((url) => url.pathname === locked.path);
  expect(await access(page)).toBe("full");

  await page.goto("/account");
  await page.getByRole("button", { name: "Manage subscription" }).click();
  await page.getByRole("button", { name: "Cancel subscription" }).click();
  await expect(page.getByText(/Cancels on/)).toBeVisible();
  await page.getByRole("link", { name: "Return to the site" }).click();
  await page.waitForURL((url) => url.pathname === "/account");
  await expect(page.getByText("Access ends on")).toBeVisible();

  await page.goto(locked.path);
  expect(await access(page)).toBe("full");
  await advanceStripeClock(20);
  await page.goto(locked.path);
  expect(await access(page)).toBe("full");
  await advanceStripeClock(12);
  await page.goto(locked.path);
  expect(await access(page)).toBe("preview");
  await expect(page.locator("[data-paywall]")).toBeVisible();
});

test("a renewal that fails (…0341) keeps access through the grace period, then locks", async ({ page }) => {
  const locked = subscribersOnly[1]!;
  await subscribeFromPaywall(page, locked.path, "4000 0000 0000 0341", unique("failing"));
  await page.waitForURL((url) => url.pathname === locked.path);
  expect(await access(page)).toBe("full");
  await advanceStripeClock(31); // the renewal fails: past_due
  await page.goto("/account");
  await expect(page.getByTestId("status")).toHaveText(/Payment failed/);
  await page.goto(locked.path);
  expect(await access(page)).toBe("full");
  await advanceStripeClock(3); // the retry fails too, and the grace period is over
  await page.goto(locked.path);
  expect(await access(page)).toBe("preview");
});
