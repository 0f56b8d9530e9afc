import { expect, test } from "@playwright/test";
import { listMailboxMessages, messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { subscribeFromPaywall } from "./support/checkout";
import { subscribersOnly } from "./support/demo-content";
import { MAILBOX_DIR } from "./support/env";
import { articleAccess, uniqueAddress } from "./support/reader";

const locked = subscribersOnly[0]!;

test("within 14 days a reader withdraws from /account with one button: reading ends, every cent is refunded, one receipt", async ({ page }) => {
  const email = uniqueAddress("withdraws");
  const bought = new Date();
  await page.goto(locked.path);
  await subscribeFromPaywall(page, locked.path, email);
  expect(await articleAccess(page)).toBe("full");

  // The purchase mail carries the withdrawal link too.
  const welcome = await waitForMessage(MAILBOX_DIR, { to: email, subject: /^Welcome to /, after: bought, timeoutMs: 15_000 });
  expect(welcome.text).toContain("Withdraw from contract here");
  expect(messageLinks(welcome).some((l) => l.endsWith("/account/withdraw"))).toBe(true);

  await page.goto("/account");
  await page.getByRole("link", { name: "Withdraw from contract here" }).click();
  await page.waitForURL((url) => url.pathname === "/account/withdraw");
  await expect(page.getByRole("heading", { name: "Withdraw from contract" })).toBeVisible();
  await expect(page.getByText("you are refunded everything you paid")).toBeVisible();
  // Nothing to fill in: the contract is named, one button confirms.
  await expect(page.locator("form[data-withdraw] input:not([type=hidden]), form[data-withdraw] select")).toHaveCount(0);
  await page.getByRole("button", { name: "Withdraw from contract" }).click();
  await expect(page.getByRole("heading", { name: "You have withdrawn from your subscription" })).toBeVisible();
  await expect(page.locator("[data-withdraw-result=withdrawn]")).toContainText(/ended on [A-Z][a-z]+ \d{1,2}, \d{4} at \d{2}:\d{2} UTC/);
  await expect(page.getByTestId("refund")).toHaveText("We refund $8.00 to the card you paid with.");

  const receipt = await waitForMessage(MAILBOX_DIR, { to: email, subject: /^You have withdrawn/, after: bought, timeoutMs: 15_000 });
  expect(receipt.text).toContain("We refund $8.00 to the card you paid with.");

  // Reading has ended, and /account says so, with no second withdrawal offered.
  await page.goto("/account");
  await expect(page.getByTestId("status")).toHaveText("Cancelled");
  await expect(page.getByRole("link", { name: "Withdraw from contract here" })).toHaveCount(0);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");

  // Posting the same form again (a back button, a replay) changes nothing and mails nothing.
  await page.goto("/account/withdraw");
  await expect(page.getByTestId("nothing-to-withdraw")).toBeVisible();
  const replay = await page.request.post("/account/withdraw", { form: { subscription: "sub_replayed" }, headers: { origin: new URL(page.url()).origin } });
  expect(replay.status()).toBe(404);
  expect((await listMailboxMessages(MAILBOX_DIR, { to: email })).filter((m) => /^You have withdrawn/.test(m.subject))).toHaveLength(1);
});
