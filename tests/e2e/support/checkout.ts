import type { Page } from "@playwright/test";

/** On the emulator's hosted Checkout: the buyer's email and a card that is accepted, then "Pay". */
export async function payWithCard(page: Page, email: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Card number").fill("4242 4242 4242 4242");
  await page.getByRole("button", { name: "Pay" }).click();
}

/** On an article at `path`, signed out: "Choose <plan>" on the paywall card, pay, and back on the article. */
export async function subscribeFromPaywall(page: Page, path: string, email: string, plan = "Monthly"): Promise<void> {
  await page.locator("[data-paywall]").getByRole("button", { name: `Choose ${plan}` }).click();
  await payWithCard(page, email);
  await page.waitForURL((url) => url.pathname === path);
}
