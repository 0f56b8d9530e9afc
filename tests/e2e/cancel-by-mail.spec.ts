import { expect, test, type Page } from "@playwright/test";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { subscribeFromPaywall } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { MAILBOX_DIR } from "./support/env";
import { articleAccess, uniqueAddress } from "./support/reader";

const locked = subscribersOnly[0]!;

async function subscribe(page: Page, email: string) {
  await page.goto(locked.path);
  await subscribeFromPaywall(page, locked.path, email);
  expect(await articleAccess(page)).toBe("full");
}

/** From any page's footer, asks for cancel links for `email`, and lands on the one answer. */
async function askForLink(page: Page, email: string) {
  await page.goto("/");
  await page.locator("footer").getByRole("link", { name: "Cancel a subscription" }).click();
  await page.waitForURL((url) => url.pathname === "/cancel");
  await page.getByLabel("Email address of the subscription").fill(email);
  await page.getByRole("button", { name: "Email me a cancel link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  return page.getByTestId("cancel-link-sent").textContent();
}

test("a signed-out reader cancels by the mailed link: one button, a dated receipt, the link works once and signs nobody in", async ({ page, browser }) => {
  const email = uniqueAddress("leaves-signed-out");
  await subscribe(page, email);
  // Signed in after the checkout: /cancel shows the one-button screen at once.
  await page.goto("/cancel");
  await expect(page.getByRole("button", { name: "Cancel subscription" })).toBeVisible();

  const stranger = await browser.newContext();
  const signedOut = await stranger.newPage();
  const asked = new Date();
  const answer = await askForLink(signedOut, email);
  // An address with no subscription gets the very same answer.
  expect(await askForLink(signedOut, uniqueAddress("no-subscription"))).toBe(answer);

  const mail = await waitForMessage(MAILBOX_DIR, { to: email, subject: /^Cancel your /, after: asked, timeoutMs: 15_000 });
  const link = messageLinks(mail).find((l) => l.includes("/cancel/confirm/"))!;
  expect(link).toBeTruthy();
  await signedOut.goto(link);
  await expect(signedOut.getByRole("heading", { name: /^Cancel your Monthly subscription$/ })).toBeVisible();
  await signedOut.getByRole("button", { name: "Cancel my subscription" }).click();
  await expect(signedOut.getByRole("heading", { name: "Your subscription is cancelled" })).toBeVisible();
  await expect(signedOut.locator("[data-cancel-result=cancelled]")).toContainText(/cancelled on [A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} UTC/);

  const receipt = await waitForMessage(MAILBOX_DIR, { to: email, subject: /is cancelled$/, after: asked, timeoutMs: 15_000 });
  expect(receipt.text).toMatch(/We received your cancellation on/);
  // Nobody was signed in by the link.
  expect((await stranger.cookies()).map((c) => c.name).filter((n) => /session/i.test(n))).toEqual([]);
  await signedOut.goto("/account");
  await signedOut.waitForURL((url) => url.pathname === "/signin");

  // The link is used up.
  await signedOut.goto(link);
  await expect(signedOut.getByRole("heading", { name: "This link has been used" })).toBeVisible();
  await stranger.close();

  // The subscriber's own account says it ends, and the paid month still reads.
  await page.goto("/account");
  await expect(page.getByTestId("status")).toHaveText(/^Cancels on [A-Z][a-z]+ \d{1,2}, \d{4}$/);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("full");
  expect((await listMailboxMessages(MAILBOX_DIR, { to: email })).filter((m) => /is cancelled$/.test(m.subject))).toHaveLength(1);
});

test("bad input on /cancel gets field errors and sends nothing", async ({ page }) => {
  await page.goto("/cancel");
  await page.getByLabel("Email address of the subscription").fill("not an address");
  await page.getByLabel("Subscription number (optional)").fill("cus_123");
  await page.getByRole("button", { name: "Email me a cancel link" }).click();
  await expect(page.locator("#cancel-email-error")).toContainText("Enter a valid email address");
  await expect(page.locator("#cancel-subscription-error")).toContainText("starts with sub_");
  expect(new URL(page.url()).pathname).toBe("/cancel");
});
