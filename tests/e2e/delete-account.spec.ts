import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { listMailboxMessages, waitForMessage } from "@/lib/mail/mailbox";
import { subscribersOnly } from "./support/demo-content";
import { MAILBOX_DIR } from "./support/env";
import { signIn } from "./support/sign-in";
import { articleAccess, uniqueAddress } from "./support/reader";
import { subscribeFromPaywall } from "./support/checkout";

const locked = subscribersOnly[0]!;

test("a subscriber downloads their data, sees their consent record, deletes the account, is signed out; the address later starts a fresh account", async ({ page }) => {
  const email = uniqueAddress("deletes");
  const bought = new Date();
  await page.goto(locked.path);
  await subscribeFromPaywall(page, locked.path, email);
  expect(await articleAccess(page)).toBe("full");
  // A checkout's sign-in proves nothing about who paid: deleting needs a sign-in by the emailed link.
  await page.goto("/account/delete");
  await expect(page.getByTestId("verify-first")).toBeVisible();
  await expect(page.getByRole("button", { name: "Delete my account" })).toHaveCount(0);
  await page.context().clearCookies();
  await signIn(page, email, "/account");

  // Download my data: the reader's own records, the consent record among them.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
  const data = JSON.parse(await readFile((await download.path())!, "utf8")) as { account: { email: string }; consentRecords: Array<{ terms: string }> };
  expect(data.account.email).toBe(email);
  expect(data.consentRecords).toHaveLength(1);

  // The consent record on /account: the terms as shown at checkout, and when.
  const consent = page.getByTestId("consent-record");
  await expect(consent).toHaveCount(1);
  await expect(consent).toContainText("Monthly: $8.00 per month");
  await expect(consent).toContainText("It renews automatically. Cancel any time online");
  await expect(consent).toContainText(/On [A-Z][a-z]+ \d{1,2}, \d{4}/);
  expect(data.consentRecords[0]!.terms).toContain("Monthly: $8.00 per month");

  // The delete page: what ends, what is erased, what is kept; bad input changes nothing.
  await page.getByRole("link", { name: "Delete my account" }).click();
  await page.waitForURL((url) => url.pathname === "/account/delete");
  await expect(page.getByRole("heading", { name: "Delete your account" })).toBeVisible();
  await expect(page.getByTestId("ending-subscriptions")).toContainText("ends at once");
  await expect(page.getByText("We keep your invoices and the terms you agreed to at checkout")).toBeVisible();
  const origin = new URL(page.url()).origin;
  const bad = await page.request.post("/account/delete", { form: { confirm: "maybe" }, headers: { origin } });
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("Press the “Delete my account” button to confirm.");
  await page.goto("/account");
  await expect(page.getByTestId("plan-summary")).toHaveText("Monthly");

  await page.goto("/account/delete");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { name: "Your account is deleted" })).toBeVisible();
  await expect(page.getByTestId("ended-subscription")).toHaveCount(1);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();

  // Signed out: the account page asks to sign in, the locked article shows its preview.
  await page.goto("/account");
  await page.waitForURL((url) => url.pathname === "/signin");
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");
  // A replayed POST changes nothing more (there is no session left to act for).
  const replay = await page.request.post("/account/delete", { form: { confirm: "delete-my-account" }, headers: { origin }, maxRedirects: 0 });
  expect(replay.status()).toBe(303);

  const confirmation = await waitForMessage(MAILBOX_DIR, { to: email, subject: /account is deleted$/, after: bought, timeoutMs: 15_000 });
  expect(confirmation.text).toContain("Monthly subscription ended at once");
  expect((await listMailboxMessages(MAILBOX_DIR, { to: email })).filter((m) => /account is deleted$/.test(m.subject))).toHaveLength(1);

  // The same address signs in again: a new, empty account.
  await signIn(page, email, "/account");
  await expect(page.getByTestId("plan-summary")).toHaveText("Free account");
  await expect(page.getByTestId("subscription")).toHaveCount(0);
  await expect(page.getByTestId("consent-record")).toHaveCount(0);
  await page.goto(locked.path);
  expect(await articleAccess(page)).toBe("preview");
});

test("the privacy page lists the cookies, and every page's footer links to it", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Footer" }).getByRole("link", { name: "Privacy and cookies" }).click();
  await page.waitForURL((url) => url.pathname === "/privacy");
  for (const name of ["authjs.session-token", "mh_meter", "mh_rid"]) await expect(page.locator(`tr[data-cookie] code`, { hasText: name }).first()).toBeVisible();
  await expect(page.getByText("We set no advertising or tracking cookies")).toBeVisible();
});
