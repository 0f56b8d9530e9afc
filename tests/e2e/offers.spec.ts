import { expect, test, type Page } from "@playwright/test";
import { payWithCard } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { expectInvoiceListed } from "./support/invoices";
import { adminPage } from "./support/sign-in";
import { uniqueAddress } from "./support/reader";


test("an admin creates “3 months for $2”; a reader opens its page, subscribes with it and sees the discount on the account page", async ({ browser }) => {
  const code = `TWO${Date.now() % 1_000_000}`;
  const admin = await adminPage(browser, "/admin/offers");
  const form = admin.getByRole("form", { name: "New offer" });
  await form.getByLabel("Name").fill("3 months for $2");
  await form.getByLabel(/^Code/).fill(code);
  await form.getByLabel("Type").selectOption("amount");
  await form.getByLabel(/^Amount off/).fill("6.00");
  await form.getByLabel("Discount lasts").selectOption("repeating");
  await form.getByLabel(/^Months/).fill("3");
  await form.getByRole("checkbox", { name: /^Monthly/ }).check();
  await form.getByRole("button", { name: "Create offer" }).click();
  await expect(form.getByRole("status")).toContainText("Offer created and live in Stripe.");
  await expect(admin.locator(`[data-offer="${code}"]`)).toContainText("$2.00/month for 3 months, then $8.00/month");
  await admin.context().close();

  const context = await browser.newContext();
  const reader = await context.newPage();
  await reader.goto(`/offer/${code.toLowerCase()}`);
  await expect(reader.getByRole("heading", { name: "3 months for $2" })).toBeVisible();
  await expect(reader.getByText("$2.00/month for 3 months, then $8.00/month")).toBeVisible();
  await reader.getByRole("button", { name: "Subscribe to Monthly" }).click();
  await expect(reader.getByText(/\$6\.00 off for 3 months, then \$8\.00 per month\. Due today: \$2\.00/)).toBeVisible();
  await payWithCard(reader, uniqueAddress("offer"));
  await reader.waitForURL((url) => url.pathname === `/offer/${code}`);
  await expect(reader.getByText("You already subscribe")).toBeVisible();
  await reader.goto("/account");
  await expect(reader.getByTestId("discount")).toContainText("$6.00 off until");
  await expect(reader.getByTestId("discount")).toContainText("then $8.00 / month");
  await expect(reader.getByTestId("next-payment")).toContainText("$2.00 on");
  await expectInvoiceListed(reader, "$2.00");
  await context.close();
});

test("bad offer input gets field errors and saves nothing; an unknown code says so and shows the plans", async ({ browser, page }) => {
  const admin = await adminPage(browser, "/admin/offers");
  const form = admin.getByRole("form", { name: "New offer" });
  await form.getByLabel("Name").fill("Too generous");
  await form.getByLabel(/^Code/).fill("HAS SPACE");
  await form.getByLabel(/^Percent off/).fill("150");
  await form.getByRole("button", { name: "Create offer" }).click();
  // Every problem in one round: the bad code does not hide the 150 %.
  await expect(form.getByText("Letters, digits, - and _ only (no spaces)")).toBeVisible();
  await expect(form.getByText("Enter a whole percent from 1 to 100")).toBeVisible();
  await expect(admin.getByText("Too generous")).toHaveCount(0);
  await form.getByLabel(/^Code/).fill("GENEROUS");
  await form.getByRole("checkbox", { name: /^Monthly/ }).check();
  await form.getByRole("button", { name: "Create offer" }).click();
  await expect(form.getByText("Enter a whole percent from 1 to 100")).toBeVisible();
  await expect(admin.locator('[data-offer="GENEROUS"]')).toHaveCount(0);
  await admin.context().close();

  await page.goto("/offer/NO-SUCH-CODE");
  await expect(page.getByText("We could not find this offer.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Choose Monthly" })).toBeVisible();
});

/** The admin's "Where offers appear" form, saved with these choices. */
async function placeOffers(admin: Page, choices: { typed: boolean; featured: string }) {
  const placement = admin.getByRole("form", { name: "Where offers appear" });
  await placement.getByRole("checkbox", { name: /Readers may type an offer code at Checkout/ }).setChecked(choices.typed);
  await placement.getByLabel("The paywall card features").selectOption({ label: choices.featured });
  await placement.getByRole("button", { name: "Save where offers appear" }).click();
  await expect(placement.getByRole("status")).toHaveText(/Saved\.|Nothing changed\./);
}

test("an admin features an offer on the paywall card and lets readers type codes: one reader takes it from the card and lands back on the article in full, another types it at Checkout", async ({ browser }) => {
  const code = `HALF${Date.now() % 1_000_000}`;
  const name = "Half off your first month";
  const admin = await adminPage(browser, "/admin/offers");
  const form = admin.getByRole("form", { name: "New offer" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel(/^Code/).fill(code);
  await form.getByLabel(/^Percent off/).fill("50");
  // Every plan on sale: only such a code may be typed at Checkout.
  for (const box of await form.getByRole("group", { name: "Eligible plans" }).getByRole("checkbox").all()) await box.check();
  await form.getByRole("checkbox", { name: "New customers only" }).uncheck();
  await form.getByRole("button", { name: "Create offer" }).click();
  await expect(form.getByRole("status")).toContainText("Offer created and live in Stripe.");
  await admin.reload();
  await placeOffers(admin, { typed: true, featured: `${name} (${code})` });
  await expect(admin.locator(`[data-offer="${code}"]`)).toContainText("typeable at Checkout");
  await expect(admin.locator(`[data-offer="${code}"]`)).toContainText("on the paywall card");

  try {
    // From the card: one click into Checkout with the offer, and back to the article in full.
    const article = subscribersOnly[0]!;
    const first = await browser.newContext();
    const reader = await first.newPage();
    await reader.goto(article.path);
    const card = reader.locator("[data-paywall]");
    const offer = card.locator(`[data-offer="${code}"]`);
    await expect(offer).toContainText("$4.00 for the first month, then $8.00/month");
    await offer.getByRole("button", { name: "Take the offer: Monthly" }).click();
    await expect(reader.getByText(/Due today: \$4\.00/)).toBeVisible();
    await payWithCard(reader, uniqueAddress("card-offer"));
    await reader.waitForURL((url) => url.pathname === article.path);
    expect(await reader.locator("article[data-access]").getAttribute("data-access")).toBe("full");
    await expect(reader.getByText(article.lastParagraph)).toBeVisible();
    await expectInvoiceListed(reader, "$4.00");
    await first.close();

    // Typed at Checkout, after choosing a plain plan on the card; a wrong code is refused there.
    const second = await browser.newContext();
    const typist = await second.newPage();
    await typist.goto(article.path);
    await typist.locator("[data-paywall]").getByRole("button", { name: "Choose Monthly" }).click();
    await typist.getByLabel("Email").fill(uniqueAddress("typist"));
    await typist.getByLabel("Card number").fill("4242 4242 4242 4242");
    await typist.getByLabel("Promotion code").fill("NOT-A-CODE");
    await typist.getByRole("button", { name: "Pay" }).click();
    await expect(typist.getByText("This code is invalid.")).toBeVisible();
    await typist.getByLabel("Card number").fill("4242 4242 4242 4242");
    await typist.getByLabel("Promotion code").fill(code.toLowerCase());
    await typist.getByRole("button", { name: "Pay" }).click();
    await typist.waitForURL((url) => url.pathname === article.path);
    await typist.goto("/account");
    await expect(typist.getByTestId("discount")).toContainText("50% off");
    await expectInvoiceListed(typist, "$4.00");
    await second.close();
  } finally {
    // The next specs expect the plain card and Checkout.
    await placeOffers(admin, { typed: false, featured: "No offer (the plans only)" });
    await admin.context().close();
  }
});
