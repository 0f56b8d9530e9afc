import { expect, test, type Browser, type Page } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { payWithCard } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { ADMIN_EMAIL, CHECKOUT_ADMIN_EMAIL, MAILBOX_DIR } from "./support/env";
import { adminPage } from "./support/sign-in";
import { articleAccess, uniqueAddress } from "./support/reader";

// Who may gain what from a checkout: typing an address at Checkout proves nothing about who is
// paying, so a payment signs in only an account the checkout itself created.

const locked = subscribersOnly[0]!;

/** An anonymous reader on the paywall pays for `plan` with `email` typed at Checkout. */
async function payFromPaywall(page: Page, plan: "Monthly" | "Yearly", email: string) {
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");
  await page.locator("[data-paywall]").getByRole("button", { name: `Choose ${plan}` }).click();
  await payWithCard(page, email);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

async function expectAdminHidden(page: Page) {
  expect((await page.goto("/admin"))!.status()).toBe(404);
}

test("typing the admin's email at Checkout for a $0 trial does not sign the buyer in; the admin gets the subscription", async ({ browser }) => {
  const admin = await adminPage(browser, "/admin");
  await expect(admin.getByRole("navigation", { name: "Admin" })).toBeVisible();

  const buyer = await newPage(browser);
  const paid = new Date(Date.now() - 1000);
  await payFromPaywall(buyer, "Yearly", "Editor@Ledger.test");
  await expect(buyer.getByRole("heading", { name: "You're subscribed" })).toBeVisible();
  await expect(buyer.getByTestId("masked-email")).toHaveText("e•••@ledger.test");
  expect(await buyer.content()).not.toContain(ADMIN_EMAIL);
  await expectAdminHidden(buyer);
  await buyer.goto(locked.path);
  expect(await articleAccess(buyer)).toBe("preview");
  await buyer.goto("/account");
  await expect(buyer).toHaveURL(/\/signin\?callbackUrl=%2Faccount/);

  // The owner was told, at the account's own address, and now reads in full.
  const mail = await waitForMessage(MAILBOX_DIR, { to: ADMIN_EMAIL, subject: /Welcome/, after: paid, timeoutMs: 15_000 });
  expect(mail.text).toContain("sign in with editor@ledger.test to start reading");
  await admin.goto(locked.path);
  expect(await articleAccess(admin)).toBe("full");
  await admin.goto("/account");
  await expect(admin.getByTestId("plan")).toHaveText("Yearly");
  await admin.context().close();
  await buyer.context().close();
});

test("a brand-new email listed in ADMIN_EMAILS is signed in by its checkout but is no admin until it uses its emailed link", async ({ browser }) => {
  const page = await newPage(browser);
  const paid = new Date(Date.now() - 1000);
  await payFromPaywall(page, "Monthly", CHECKOUT_ADMIN_EMAIL);
  await page.waitForURL((url) => url.pathname === locked.path);
  expect(await articleAccess(page)).toBe("full");
  await expectAdminHidden(page);
  await page.goto("/account");
  await expect(page.getByTestId("unverified")).toBeVisible();
  // Auth.js sees the same session: asking it, as any client library does, keeps the buyer signed in.
  expect(await (await page.request.get("/api/auth/session")).json()).toMatchObject({ user: { email: CHECKOUT_ADMIN_EMAIL } });
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("full");

  const mail = await waitForMessage(MAILBOX_DIR, { to: CHECKOUT_ADMIN_EMAIL, subject: /Welcome/, after: paid, timeoutMs: 15_000 });
  await page.goto(messageLinks(mail).find((l) => l.includes("/signin/confirm"))!);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.waitForURL((url) => url.pathname === locked.path);
  expect((await page.goto("/admin"))!.status()).toBe(200);
  await page.goto("/account");
  await expect(page.getByTestId("unverified")).toHaveCount(0);
  await page.context().close();
});

test("a second purchase with a subscriber's email is credited to that account and does not renew: both are listed, each managed on its own", async ({ browser }) => {
  const email = uniqueAddress("twice");
  const first = await newPage(browser);
  await payFromPaywall(first, "Monthly", email);
  await first.waitForURL((url) => url.pathname === locked.path);

  const second = await newPage(browser);
  await payFromPaywall(second, "Monthly", email.toUpperCase());
  await expect(second.getByRole("heading", { name: "You're subscribed" })).toBeVisible();
  await expect(second.getByTestId("already-subscribed")).toBeVisible();
  await second.context().close();

  await first.goto("/account");
  const subs = first.getByTestId("subscription");
  await expect(subs).toHaveCount(2);
  await expect(subs.getByTestId("plan")).toHaveText(["Monthly", "Monthly"]);
  // The second one was bought by accident (docs/decisions/0023): it ends with its paid month.
  await expect(subs.filter({ hasText: "Access ends on" })).toHaveCount(1);
  // "Manage" on each opens the portal for its own customer, which holds that subscription only.
  const ids = [await subs.nth(0).getAttribute("data-subscription"), await subs.nth(1).getAttribute("data-subscription")];
  for (const [i, own] of ids.entries()) {
    await first.goto("/account");
    await first.getByTestId("subscription").nth(i).getByRole("button", { name: "Manage subscription" }).click();
    await expect(first.locator(`input[name="subscription"][value="${own}"]`).first()).toBeAttached();
    await expect(first.locator(`input[name="subscription"][value="${ids[1 - i]}"]`)).toHaveCount(0);
  }
  await first.context().close();

  const admin = await adminPage(browser, "/admin/subscribers");
  await expect(admin.getByTestId("unlinked-none")).toBeVisible();
  await expect(admin.getByTestId("several-live")).toContainText(email.toLowerCase());
  await admin.context().close();
});
