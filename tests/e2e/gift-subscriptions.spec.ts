import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { subscribersOnly } from "./support/demo-content";
import { MAILBOX_DIR } from "./support/env";
import { adminPage, signIn, signInHere } from "./support/sign-in";
import { articleAccess } from "./support/reader";

const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const dayOf = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${page.url()}: ${v.id} ${v.help}`)).toEqual([]);
}

test("a reader gives 3 months: a bad date gets a field error; paid at Checkout, the recipient is mailed a link that works once, after signing in as that address, and reads every article as a gift subscription", async ({ browser }) => {
  test.setTimeout(120_000);
  const article = subscribersOnly[0]!;
  const giverEmail = `giver-${stamp}@ledger.test`;
  const friendEmail = `friend-${stamp}@ledger.test`;

  const giverContext = await browser.newContext();
  const giver = await giverContext.newPage();
  await signIn(giver, giverEmail, "/gift");
  await expect(giver.getByRole("heading", { name: "Give a subscription" })).toBeVisible();
  await expectAccessible(giver);
  const form = giver.getByRole("form", { name: "Buy a gift subscription" });
  await form.getByLabel("Plan").selectOption({ label: "Monthly" });
  await form.getByLabel("How long").selectOption({ label: "3 months" });
  await form.getByLabel("Recipient's email address").fill(friendEmail);
  await form.getByLabel("Message (optional)").fill("For the long winter.");
  // A date in the past: the field says so, and what was typed stays.
  await form.getByLabel("Delivery date").evaluate((input: HTMLInputElement, value) => {
    input.removeAttribute("min");
    input.value = value;
  }, dayOf(-2));
  await form.getByRole("button", { name: "Continue to payment" }).click();
  await expect(giver.getByRole("alert").filter({ hasText: "cannot be in the past" })).toBeVisible();
  await expect(giver.getByLabel("Delivery date")).toHaveAttribute("aria-invalid", "true");
  await expect(giver.getByLabel("Recipient's email address")).toHaveValue(friendEmail);
  await expectAccessible(giver);

  await giver.getByLabel("Delivery date").fill(dayOf(0));
  const paidAt = new Date(Date.now() - 1000);
  await giver.getByRole("button", { name: "Continue to payment" }).click();
  await expect(giver.getByRole("heading", { name: /Pay for .*3 months of Monthly/ })).toBeVisible();
  await expect(giver.getByText("$24.00")).toBeVisible();
  await giver.getByLabel("Card number").fill("4242 4242 4242 4242");
  await giver.getByRole("button", { name: "Pay" }).click();
  await giver.waitForURL((url) => url.pathname === "/gift/return");
  // Stripe's webhook or this page's own fetch from Stripe settles it, whichever comes first.
  await expect(giver.getByTestId("gift-paid")).toContainText(friendEmail);
  const receipt = await waitForMessage(MAILBOX_DIR, { to: giverEmail, subject: /Your gift receipt/, after: paidAt, timeoutMs: 15_000 });
  expect(receipt.text).toContain("$24.00");

  // Today's gift is mailed at once.
  const gift = await waitForMessage(MAILBOX_DIR, { to: friendEmail, subject: /A gift for you: 3 months of Monthly/, after: paidAt, timeoutMs: 15_000 });
  expect(gift.text).toContain("For the long winter.");
  const link = messageLinks(gift).find((l) => l.includes("/gift/redeem?token="))!;

  const friend = await (await browser.newContext()).newPage();
  await friend.goto(article.path);
  expect(await articleAccess(friend)).toBe("preview");
  await friend.goto(link);
  await expect(friend.getByRole("heading", { name: "Your gift: 3 months of Monthly" })).toBeVisible();
  await friend.getByRole("link", { name: "Sign in to redeem" }).click();
  await signInHere(friend, friendEmail, "/gift/redeem");
  await expectAccessible(friend);
  await friend.getByRole("button", { name: "Redeem the gift" }).click();
  await expect(friend.getByTestId("redeem-outcome")).toHaveText(/^Redeemed: you can read every article from \d{4}-\d{2}-\d{2} until \d{4}-\d{2}-\d{2}\. It does not renew\.$/);

  await friend.goto(article.path);
  expect(await articleAccess(friend)).toBe("full");
  await friend.goto(`/why?article=${encodeURIComponent(article.path.split("/").pop()!)}`);
  await expect(friend.getByTestId("why-summary")).toHaveText("A gift subscription someone gave you lets you read every article.");

  // The link worked once.
  await friend.goto(link);
  await expect(friend.getByText("You redeemed this gift")).toBeVisible();
  await expect(friend.getByRole("button", { name: "Redeem the gift" })).toHaveCount(0);
  const told = await waitForMessage(MAILBOX_DIR, { to: giverEmail, subject: /Your gift was redeemed/, after: paidAt, timeoutMs: 15_000 });
  expect(told.text).toContain(friendEmail);

  // The admin sees it sold and redeemed.
  const admin = await adminPage(browser, "/admin/gift-subscriptions");
  await expect(admin.locator(`tr[data-gift="${friendEmail}"]`).getByTestId("status")).toHaveText("redeemed");
  await expectAccessible(admin);
});
