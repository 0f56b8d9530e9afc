import { expect, test, type Browser, type Page } from "@playwright/test";
import { subscribeFromPaywall } from "./support/checkout";
import { metered, subscribersOnly } from "./support/demo-content";
import { adminPage, signIn } from "./support/sign-in";
import { articleAccess, uniqueAddress } from "./support/reader";


/** What an anonymous reader's paywall offers for the Monthly plan. */
async function paywallMonthlyPrice(browser: Browser): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(subscribersOnly[0]!.path);
  expect(await articleAccess(page)).toBe("preview");
  const plan = page.locator("[data-paywall] .plan").filter({ has: page.getByRole("button", { name: "Choose Monthly" }) });
  const price = await plan.locator(".plan__price").innerText();
  await context.close();
  return price;
}

async function setMonthlyPrice(page: Page, price: string) {
  await page.goto("/admin/plans");
  const plan = page.locator('[data-plan="Monthly"]');
  await plan.getByText("Edit Monthly").click();
  const form = plan.getByRole("form", { name: "Edit Monthly" });
  await expect(form.getByText(/existing subscribers stay on their old price/i)).toBeVisible();
  await form.getByLabel("Price (USD)").fill(price);
  await form.getByRole("button", { name: "Save plan" }).click();
  await expect(form.getByRole("status")).toContainText("existing subscribers stay on their old price");
}

test("an admin edits the Monthly plan's price and the paywall shows it; the old price stays listed for its subscribers", async ({ browser }) => {
  expect(await paywallMonthlyPrice(browser)).toContain("$8.00");
  const admin = await adminPage(browser, "/admin/plans");
  try {
    await setMonthlyPrice(admin, "9.50");
    await expect(admin.locator('[data-plan="Monthly"]').locator(".admin-plan__price")).toContainText("$9.50");
    await expect(admin.locator('[data-plan="Monthly"]').getByRole("cell", { name: /Archived/ })).toBeVisible();
    expect(await paywallMonthlyPrice(browser)).toContain("$9.50");
  } finally {
    // The other browser tests buy Monthly at $8.00: put it back (its old Stripe price is reused).
    await setMonthlyPrice(admin, "8.00");
  }
  expect(await paywallMonthlyPrice(browser)).toContain("$8.00");
  await admin.context().close();
});

test("an admin comps a reader, who can then read a subscribers-only article in full; revoking locks it again", async ({ browser }) => {
  const email = uniqueAddress("comped");
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await signIn(reader, email, "/");
  const locked = subscribersOnly[0]!;
  await reader.goto(locked.path);
  expect(await articleAccess(reader)).toBe("preview");

  const admin = await adminPage(browser, "/admin/subscribers");
  await admin.getByLabel(/Search by email/).fill(email);
  await admin.getByRole("button", { name: "Search" }).click();
  await admin.getByRole("link", { name: email }).click();
  await expect(admin.getByRole("heading", { name: email })).toBeVisible();
  await admin.getByLabel("Reason").fill("Press pass");
  await admin.getByRole("button", { name: "Grant access" }).click();
  await expect(admin.getByRole("status")).toContainText("Access granted");
  await expect(admin.getByTestId("entitled")).toContainText("Yes, by a grant");

  await reader.goto(locked.path);
  expect(await articleAccess(reader)).toBe("full");
  await expect(reader.getByText(locked.lastParagraph)).toBeVisible();

  await admin.getByRole("button", { name: /Revoke the grant/ }).click();
  await expect(admin.getByText(/Revoked/).first()).toBeVisible();
  await reader.goto(locked.path);
  expect(await articleAccess(reader)).toBe("preview");
  await readerContext.close();
  await admin.context().close();
});

test("the dashboard's funnel chart counts a test purchase", async ({ browser }) => {
  const admin = await adminPage(browser, "/admin");
  const subscribedCount = async () => {
    await admin.goto("/admin?days=7");
    return Number(await admin.locator('[data-funnel-step="subscribed"] [data-count]').textContent());
  };
  const before = await subscribedCount();
  await expect(admin.getByRole("img", { name: /Conversion funnel over the last 7 days/ })).toBeVisible();
  await expect(admin.getByRole("img", { name: /New and churned subscribers per day over the last 7 days/ })).toBeVisible();

  const buyerContext = await browser.newContext();
  const buyer = await buyerContext.newPage();
  const target = metered[0]!;
  await buyer.goto(subscribersOnly[1]!.path);
  await subscribeFromPaywall(buyer, subscribersOnly[1]!.path, uniqueAddress("funnel"));
  expect(await articleAccess(buyer)).toBe("full");
  await buyer.goto(target.path);
  await buyerContext.close();

  // Funnel events are written in batches, off the reading path: the count moves within seconds.
  await expect.poll(subscribedCount, { timeout: 15_000 }).toBe(before + 1);
  await expect(admin.getByRole("img", { name: /Subscribed [1-9]/ })).toBeVisible();
  await admin.context().close();
});
