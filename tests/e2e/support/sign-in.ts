import { expect, type Page } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { MAILBOX_DIR } from "./env";

/** Asks for a link on the sign-in page that is open, reads the real email from the SMTP sink, and returns the link. */
export async function requestLink(page: Page, email: string): Promise<string> {
  const asked = new Date(Date.now() - 1000);
  await page.getByLabel("Email address").fill(email);
  await page.getByRole("button", { name: /Email me a/ }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const message = await waitForMessage(MAILBOX_DIR, { to: email, subject: /Sign in to/, after: asked, timeoutMs: 15_000 });
  expect(message.html).toContain("Sign in");
  const link = messageLinks(message).find((l) => l.includes("/signin/confirm"));
  expect(link, "the email carries a confirmation link").toBeTruthy();
  return link!;
}

/** The whole sign-in: from any page, through the email, to the confirmation button. */
export async function signIn(page: Page, email: string, from = "/"): Promise<void> {
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(from)}`);
  const link = await requestLink(page, email);
  await page.goto(link);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.waitForURL((url) => url.pathname === from.split("?")[0]);
}
