import { expect, test } from "@playwright/test";
import { adminPage } from "./support/sign-in";

const unique = (name: string) => `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@readers.test`;

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
  await reader.getByLabel("Email").fill(unique("offer"));
  await reader.getByLabel("Card number").fill("4242 4242 4242 4242");
  await reader.getByRole("button", { name: "Pay" }).click();
  await reader.waitForURL((url) => url.pathname === `/offer/${code}`);
  await expect(reader.getByText("You already subscribe")).toBeVisible();
  await reader.goto("/account");
  await expect(reader.getByTestId("discount")).toContainText("$6.00 off until");
  await expect(reader.getByTestId("discount")).toContainText("next payment $2.00, then $8.00 / month");
  await expect(reader.getByRole("cell", { name: "$2.00" })).toBeVisible();
  await context.close();
});

test("bad offer input gets field errors and saves nothing; an unknown code says so and shows the plans", async ({ browser, page }) => {
  const admin = await adminPage(browser, "/admin/offers");
  const form = admin.getByRole("form", { name: "New offer" });
  await form.getByLabel("Name").fill("Too generous");
  await form.getByLabel(/^Code/).fill("HAS SPACE");
  await form.getByLabel(/^Percent off/).fill("150");
  await form.getByRole("button", { name: "Create offer" }).click();
  await expect(form.getByText("Letters, digits, - and _ only (no spaces)")).toBeVisible();
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
