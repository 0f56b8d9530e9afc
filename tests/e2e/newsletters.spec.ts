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

  // Three more readers, confirmed the same way (by plain form posts), so the send takes a while.
  for (let i = 0; i < 3; i++) {
    const other = `news-${randomBytes(4).toString("hex")}@ledger.test`;
    const since = new Date(Date.now() - 1000);
    await reader.request.post("/newsletters/signup", { form: { email: other, newsletter: String(await briefingId(reader)), website: "" } });
    const mail = await waitForMessage(MAILBOX_DIR, { to: other, subject: /Confirm your subscription/, after: since, timeoutMs: 15_000 });
    expect((await reader.request.post(messageLinks(mail).find((l) => l.includes("/newsletters/confirm/"))!)).status()).toBe(200);
  }

  // The admin slows the sender to 1 message a second, writes an issue, sends a test to themselves,
  // then sends it and watches the progress bar move to 100 %.
  const admin = await adminPage(browser, "/admin/newsletters");
  await admin.getByLabel("Messages per second").fill("1");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Saved. Sign-ups and the sender")).toBeVisible();
  await admin.getByRole("link", { name: "The Morning Briefing" }).click();
  await admin.getByLabel("Subject").fill(subject);
  await admin.getByLabel(/^Text/).fill("Good morning.\n\n## The harbour\n\nThe bridge reopens today.");
  await admin.getByRole("button", { name: "Save draft" }).click();
  await expect(admin.getByRole("heading", { name: subject })).toBeVisible();
  const tested = new Date(Date.now() - 1000);
  await admin.getByRole("button", { name: "Send a test to yourself" }).click();
  await expect(admin.getByText(`Test sent to ${ADMIN_EMAIL}.`)).toBeVisible();
  await waitForMessage(MAILBOX_DIR, { to: ADMIN_EMAIL, subject: new RegExp(`\\[Test\\] ${subject}`), after: tested, timeoutMs: 15_000 });
  // Sending is a second step that says how many it goes to.
  await admin.getByText("Send to subscribers…").click();
  const recipients = Number(await admin.getByTestId("recipient-count").innerText());
  expect(recipients).toBeGreaterThanOrEqual(1);
  await admin.getByRole("button", { name: `Send to ${recipients} ${recipients === 1 ? "subscriber" : "subscribers"}` }).click();
  const progress = admin.getByTestId("send-progress");
  await expect(progress).toHaveAttribute("data-state", "sending");
  const seen = new Set<string>();
  await expect(async () => {
    seen.add((await progress.getAttribute("data-percent")) ?? "");
    expect(seen.has("100")).toBe(true);
  }).toPass({ intervals: [200], timeout: 30_000 });
  expect(seen.size, `the bar moved through ${[...seen].join(", ")} %`).toBeGreaterThan(1);
  await expect(admin.getByRole("progressbar")).toHaveAttribute("value", "100");
  await expect(admin.getByTestId("issue-report")).toContainText("Sent");
  await admin.goto("/admin/newsletters");
  await admin.getByLabel("Messages per second").fill("20");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Saved. Sign-ups and the sender")).toBeVisible();

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

/** The Morning Briefing's id, as the sign-up form carries it. */
async function briefingId(page: import("@playwright/test").Page): Promise<number> {
  const html = await (await page.request.get("/")).text();
  return Number(/name="newsletter" value="(\d+)"/.exec(html)![1]);
}

test("registering with “Get the newsletter” ticked sends the sign-in link and the newsletter's own confirmation", async ({ page }) => {
  const email = `register-${randomBytes(4).toString("hex")}@ledger.test`;
  const asked = new Date(Date.now() - 1000);
  await page.goto("/signin?intent=register");
  await expect(page.getByLabel("Get the newsletter: The Morning Briefing")).toBeChecked();
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: "Email me a link to register" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await waitForMessage(MAILBOX_DIR, { to: email, subject: /Sign in to/, after: asked, timeoutMs: 15_000 });
  await waitForMessage(MAILBOX_DIR, { to: email, subject: /Confirm your subscription to The Morning Briefing/, after: asked, timeoutMs: 15_000 });
});
