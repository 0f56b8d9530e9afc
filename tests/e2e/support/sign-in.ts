import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { ADMIN_EMAIL, MAILBOX_DIR } from "./env";

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
  await signInHere(page, email, from.split("?")[0]!);
}

/** Signs in on the sign-in page that is open, through the email, and waits to be back on `pathname`. */
export async function signInHere(page: Page, email: string, pathname: string): Promise<void> {
  const link = await requestLink(page, email);
  await page.goto(link);
  await page.getByRole("button", { name: "Continue to sign in" }).click();
  await page.waitForURL((url) => url.pathname === pathname);
}

let adminState: Awaited<ReturnType<BrowserContext["storageState"]>> | undefined;

/**
 * A fresh browser context signed in as the admin, on `path`. The session is reused across the
 * worker's tests (signed in again if it ended): sign-in links are rate limited per address.
 */
export async function adminPage(browser: Browser, path: string): Promise<Page> {
  const context = await browser.newContext(adminState ? { storageState: adminState } : {});
  const page = await context.newPage();
  if (adminState) {
    const response = await page.goto(path);
    if (response?.ok() && new URL(page.url()).pathname === path.split("?")[0]) return page;
  }
  await signIn(page, ADMIN_EMAIL, path);
  adminState = await context.storageState();
  return page;
}
