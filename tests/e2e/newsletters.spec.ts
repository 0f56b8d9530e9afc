import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { free } from "./support/demo-content";
import { ADMIN_EMAIL, MAILBOX_DIR } from "./support/env";
import { adminPage } from "./support/sign-in";

test("a reader signs up at the end of an article with no JavaScript, confirms, gets the issue the admin sends (progress to 100 %), and leaves with one click", async ({ browser }) => {
  const email = `news-${randomBytes(4).toString("hex")}@ledger.test`;
  const subject = `Briefing ${randomBytes(3).toString("hex")}`;
  const reader = await (await browser.newContext({ javaScriptEnabled: false })).newPage();

  // Sign up now, at the end of an article: a plain form.
  await reader.goto(free[0]!.path);
  const form = reader.locator("[data-newsletter-signup]");
  await expect(form.getByRole("heading", { name: "Sign up now" })).toBeVisible();
  const asked = new Date(Date.now() - 1000);
  await form.getByLabel("Email address").fill(email);
  await form.getByRole("button", { name: "Sign up" }).click();
  await expect(reader.getByRole("heading", { name: "Check your email" })).toBeVisible();

  // Double opt-in: the link shows a button; the button confirms.
  const confirmation = await waitForMessage(MAILBOX_DIR, { to: email, subject: /Confirm your subscription/, after: asked, timeoutMs: 15_000 });
  await reader.goto(messageLinks(confirmation).find((l) => l.includes("/newsletters/confirm/"))!);
  await reader.getByRole("button", { name: "Confirm my subscription" }).click();
  await expect(reader.getByRole("heading", { name: "You are subscribed" })).toBeVisible();

  // The admin writes an issue, sends a test to themselves, then sends it and watches it go out.
  const admin = await adminPage(browser, "/admin/newsletters");
  await admin.getByRole("link", { name: "The Morning Briefing" }).click();
  await admin.getByLabel("Subject").fill(subject);
  await admin.getByLabel(/^Text/).fill("Good morning.\n\n## The harbour\n\nThe bridge reopens today.");
  await admin.getByRole("button", { name: "Save draft" }).click();
  await expect(admin.getByRole("heading", { name: subject })).toBeVisible();
  const tested = new Date(Date.now() - 1000);
  await admin.getByRole("button", { name: "Send a test to yourself" }).click();
  await expect(admin.getByText(`Test sent to ${ADMIN_EMAIL}.`)).toBeVisible();
  await waitForMessage(MAILBOX_DIR, { to: ADMIN_EMAIL, subject: new RegExp(`\\[Test\\] ${subject}`), after: tested, timeoutMs: 15_000 });
  await admin.getByRole("button", { name: "Send to subscribers" }).click();
  const progress = admin.getByTestId("send-progress");
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-percent", "100", { timeout: 30_000 });
  await expect(admin.getByRole("progressbar")).toHaveAttribute("value", "100");
  await expect(admin.getByTestId("issue-report")).toContainText("Sent");

  // The reader's copy, and its footer's unsubscribe link: the page's one button unsubscribes.
  const issue = await waitForMessage(MAILBOX_DIR, { to: email, subject: new RegExp(`^${subject}$`), timeoutMs: 15_000 });
  expect(issue.text).toContain("The bridge reopens today.");
  const unsubscribe = messageLinks(issue).find((l) => l.includes("/unsubscribe/"))!;
  await reader.goto(unsubscribe);
  await expect(reader.getByText("Stop receiving The Morning Briefing?")).toBeVisible();
  await reader.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(reader.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();

  // Nobody may use the link to change anything with a GET, and a tampered one changes nothing.
  const tampered = await reader.request.post(unsubscribe.replace(/.$/, (c) => (c === "A" ? "B" : "A")));
  expect(tampered.status()).toBe(400);
});

test("the front page offers the same sign-up form, and a bad address gets a clear message", async ({ page }) => {
  await page.goto("/");
  const form = page.locator("[data-newsletter-signup]");
  await form.getByLabel("Email address").fill(`${"x".repeat(250)}@ledger.test`);
  await form.getByRole("button", { name: "Sign up" }).click();
  await expect(page.getByRole("alert")).toContainText("too long");
});
