import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { subscribersOnly } from "./support/demo-content";
import { MAILBOX_DIR } from "./support/env";
import { adminPage, requestLink } from "./support/sign-in";
import { articleAccess } from "./support/reader";
import { subscribeFromPaywall } from "./support/checkout";

const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const planName = `Family ${stamp}`;
const locked = subscribersOnly[0]!;
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${page.url()}: ${v.id} ${v.help}`)).toEqual([]);
}

test.describe.serial("family plans", () => {
  test.beforeAll(async ({ browser }) => {
    const admin = await adminPage(browser, "/admin/plans");
    const form = admin.getByRole("form", { name: "New plan" });
    await form.getByLabel("Name").fill(planName);
    await form.getByLabel("Price").fill("16.00");
    await form.getByLabel(/A family plan/).check();
    await form.getByLabel(/up to this many accounts/).fill("3");
    await form.getByRole("button", { name: "Create plan" }).click();
    await expect(form.getByRole("status")).toContainText("Plan created");
    await admin.context().close();
  });

  test.afterAll(async ({ browser }) => {
    // The other browser tests see the demo plans only.
    const admin = await adminPage(browser, "/admin/plans");
    await admin.getByRole("button", { name: `Archive ${planName}` }).click();
    await expect(admin.getByRole("button", { name: `Unarchive ${planName}` })).toBeVisible();
    await admin.context().close();
  });

  test("the payer invites a member, who accepts by the mailed link and reads in full until the payer removes them", async ({ browser }) => {
    test.setTimeout(120_000);
    const payerEmail = `payer-${stamp}@family.test`;
    const memberEmail = `member-${stamp}@family.test`;

    // The payer buys the family plan from the paywall.
    const payerContext = await browser.newContext();
    const payer = await payerContext.newPage();
    await payer.goto(locked.path);
    await subscribeFromPaywall(payer, locked.path, payerEmail, planName);
    expect(await articleAccess(payer)).toBe("full");

    // From the account page to the family page; bad input is a field error.
    await payer.goto("/account");
    await payer.getByRole("link", { name: "Your family subscription" }).click();
    await expect(payer.getByTestId("family-places-free")).toHaveText("2");
    const invite = payer.getByRole("form", { name: "Invite to your family subscription" });
    await invite.getByLabel("Their email address").fill("not an address");
    await invite.getByRole("button", { name: "Send the invitation" }).click();
    await expect(payer.getByLabel("Their email address")).toHaveAttribute("aria-invalid", "true");
    await expect(payer.getByRole("alert")).toContainText("Enter an email address like");
    await payer.getByLabel("Their email address").fill(payerEmail);
    await payer.getByRole("button", { name: "Send the invitation" }).click();
    await expect(payer.getByRole("alert")).toContainText("your own address");
    const invitedAt = new Date(Date.now() - 1000);
    await payer.getByLabel("Their email address").fill(memberEmail);
    await payer.getByRole("button", { name: "Send the invitation" }).click();
    await expect(payer.getByRole("status")).toContainText("The invitation is on its way");
    await expect(payer.locator(`[data-invite="${memberEmail}"]`)).toBeVisible();
    await expectAccessible(payer);

    // The member opens the mailed link, signs in with the invited address, and accepts.
    const mail = await waitForMessage(MAILBOX_DIR, { to: memberEmail, subject: /family subscription/, after: invitedAt, timeoutMs: 15_000 });
    const link = messageLinks(mail).find((l) => l.includes("/account/family/join?token="))!;
    const memberContext = await browser.newContext();
    const member = await memberContext.newPage();
    await member.goto(locked.path);
    expect(await articleAccess(member)).toBe("preview");
    await member.goto(link);
    await member.getByRole("link", { name: "Sign in to accept" }).click();
    const signInLink = await requestLink(member, memberEmail);
    await member.goto(signInLink);
    await member.getByRole("button", { name: "Continue to sign in" }).click();
    await member.waitForURL((url) => url.pathname === "/account/family/join");
    await expectAccessible(member);
    await member.getByRole("button", { name: "Accept" }).click();
    await expect(member.getByTestId("family-join-outcome")).toContainText("Welcome");

    await member.goto(locked.path);
    expect(await articleAccess(member)).toBe("full");
    await expect(member.getByText(locked.lastParagraph)).toBeVisible();

    // The payer sees the address, and removes the member.
    await payer.goto("/account/family");
    const row = payer.locator(`tr[data-member="${memberEmail}"]`);
    await expect(row).toBeVisible();
    await row.getByRole("button", { name: `Remove ${memberEmail}` }).click();
    await expect(payer.getByRole("status")).toContainText("Removed");
    await expect(row).toHaveCount(0);

    // The member gets the paywall, which says why, with the plans.
    await member.goto(locked.path);
    expect(await articleAccess(member)).toBe("preview");
    await expect(member.getByText(locked.lastParagraph)).toHaveCount(0);
    const card = member.locator("[data-paywall]");
    await expect(card.getByTestId("family-ended")).toContainText("Your family subscription ended");
    await expect(card.getByRole("button", { name: `Choose ${planName}` })).toBeVisible();

    await Promise.all([payerContext.close(), memberContext.close()]);
  });
});
