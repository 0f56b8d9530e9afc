import { expect, test, type Page } from "@playwright/test";
import { subscribeFromPaywall } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { adminPage } from "./support/sign-in";
import { advanceStripeClock } from "./support/stripe-clock";
import { articleAccess, uniqueAddress } from "./support/reader";

const locked = subscribersOnly[0]!;

async function subscribe(page: Page) {
  await page.goto(locked.path);
  await subscribeFromPaywall(page, locked.path, uniqueAddress("keeper"));
  expect(await articleAccess(page)).toBe("full");
}

/** The month paid for reads in full; 32 days on (Stripe's clock), the article shows its preview. */
async function readsInFullUntilTheMonthEnds(page: Page) {
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("full");
  await advanceStripeClock(32);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");
}

test.describe.serial("cancelling on our site", () => {
  test.beforeAll(async ({ browser }) => {
    const admin = await adminPage(browser, "/admin/offers");
    const form = admin.getByRole("form", { name: "Retention offer" });
    await form.getByLabel("The cancel screen offers").selectOption("pause");
    await form.getByLabel("Pause for").selectOption("1");
    await form.getByRole("button", { name: "Save retention offer" }).click();
    await expect(form.getByRole("status")).toContainText("Saved");
    await admin.context().close();
  });

  test.afterAll(async ({ browser }) => {
    const admin = await adminPage(browser, "/admin/offers");
    const form = admin.getByRole("form", { name: "Retention offer" });
    await form.getByLabel("The cancel screen offers").selectOption("none");
    await form.getByRole("button", { name: "Save retention offer" }).click();
    await expect(form.getByRole("status")).toContainText("offers nothing");
    await admin.context().close();
  });

  test("a reader declines the save offer with one click and keeps access until the period ends", async ({ page }) => {
    await subscribe(page);
    await page.goto("/account");
    await page.getByRole("link", { name: "Cancel subscription" }).click();
    await expect(page.getByTestId("retention-offer")).toContainText("Pause instead");
    await page.getByLabel(/Why are you leaving/).selectOption("too_expensive");
    await page.getByRole("button", { name: "Cancel anyway" }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    await expect(page.getByRole("status")).toContainText("Your subscription is cancelled");
    await expect(page.getByText("Access ends on")).toBeVisible();
    await expect(page.getByTestId("status")).toHaveText(/^Cancels on [A-Z][a-z]+ \d{1,2}, \d{4}$/);
    await expect(page.getByTestId("next-payment")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Resume" })).toBeVisible();
    await readsInFullUntilTheMonthEnds(page);
  });

  test("a reader pauses instead: keeps the month paid for, is told the pause on the card, and reads again when it ends and is paid", async ({ page }) => {
    await subscribe(page);
    await page.goto("/account");
    await page.getByRole("link", { name: "Cancel subscription" }).click();
    await expect(page.getByTestId("retention-offer")).toContainText("you keep reading until");
    await page.getByRole("button", { name: "Pause for 1 month" }).click();
    await page.waitForURL((url) => url.pathname === "/account");
    await expect(page.getByTestId("pause-starts")).toContainText("then paused");
    await expect(page.getByTestId("paused-until")).toBeVisible();
    await expect(page.getByText("Renews on")).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Resume now" })).toBeVisible();
    // The renewal inside the pause is voided: the card says paused, and sells nothing.
    await readsInFullUntilTheMonthEnds(page);
    const card = page.locator("[data-paywall]");
    await expect(card.locator("[data-paused]")).toContainText("Your subscription is paused until");
    await expect(card.getByRole("link", { name: "Resume now" })).toBeVisible();
    await expect(card.getByRole("button", { name: /Choose|Take the offer/ })).toHaveCount(0);
    await page.goto("/account");
    await expect(page.getByTestId("status")).toHaveText("Paused");
    // Two calendar months are at most 62 days: the pause is over and the new month paid for.
    await advanceStripeClock(31);
    await page.goto(locked.path);
    expect(await articleAccess(page)).toBe("full");
  });
});
