import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { messageLinks, waitForMessage } from "@/lib/mail/mailbox";
import { subscribersOnly } from "./support/demo-content";
import { MAILBOX_DIR } from "./support/env";
import { adminPage, signIn, signInHere } from "./support/sign-in";
import { articleAccess } from "./support/reader";

const stamp = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21aa"]).analyze();
  expect(results.violations.map((v) => `${page.url()}: ${v.id} ${v.help}`)).toEqual([]);
}
const dayOf = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);

test("a manager invites a reader, who signs in by the mailed link and reads a subscribers-only article in full until the manager removes them", async ({ browser }) => {
  test.setTimeout(120_000);
  const article = subscribersOnly[0]!;
  const orgName = `Harbour Newsroom ${stamp}`;
  const managerEmail = `manager-${stamp}@newsroom.test`;
  const inviteeEmail = `reporter-${stamp}@newsroom.test`;

  // The admin sells the licence.
  const admin = await adminPage(browser, "/admin/organisations");
  const create = admin.getByRole("form", { name: "New organisation" });
  await create.getByLabel("Name").fill(orgName);
  await create.getByLabel("Seats").fill("5");
  await create.getByLabel("Term starts").fill(dayOf(-1));
  await create.getByLabel("Term ends").fill(dayOf(365));
  await create.getByLabel("Price for the term").fill("9000.00");
  await create.getByLabel("Managers (email addresses)").fill(managerEmail);
  await create.getByRole("button", { name: "Create organisation" }).click();
  await expect(admin.locator(`tr[data-organisation="${orgName}"]`).getByTestId("seats")).toHaveText("0 / 5");
  await expectAccessible(admin);

  // The manager signs in and invites the reporter.
  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signIn(manager, managerEmail, "/org");
  const section = manager.locator(`section[data-organisation="${orgName}"]`);
  const invitedAt = new Date(Date.now() - 1000);
  await section.getByLabel(/Addresses, one per line/).fill(inviteeEmail);
  await section.getByRole("button", { name: "Send invitations" }).click();
  await expect(section.getByText(/Invited 1 address/)).toBeVisible();
  await expect(section.getByTestId("invites")).toContainText(inviteeEmail);
  await expectAccessible(manager);

  // The reporter opens the invitation, signs in with the invited address, and accepts.
  const invitation = await waitForMessage(MAILBOX_DIR, { to: inviteeEmail, subject: /invites you to read/, after: invitedAt, timeoutMs: 15_000 });
  const link = messageLinks(invitation).find((l) => l.includes("/org/invite?token="))!;
  const reader = await (await browser.newContext()).newPage();
  await reader.goto(article.path);
  expect(await articleAccess(reader)).toBe("preview");
  await reader.goto(link);
  await reader.getByRole("link", { name: "Sign in to accept" }).click();
  await signInHere(reader, inviteeEmail, "/org/invite");
  await expectAccessible(reader);
  await reader.getByRole("button", { name: "Accept the invitation" }).click();
  await expect(reader.getByText(`Welcome to ${orgName}`)).toBeVisible();

  await reader.goto(article.path);
  expect(await articleAccess(reader)).toBe("full");
  await expect(reader.getByText(article.lastParagraph)).toBeVisible();

  // The manager sees the seat and the read count, then removes the reporter.
  await manager.reload();
  await expect(section.getByTestId("seats-used")).toContainText("1 of 5 seats used");
  const row = section.locator(`tr[data-member="${inviteeEmail}"]`);
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(row).toHaveCount(0);
  await expect(section.getByTestId("seats-used")).toContainText("0 of 5 seats used");

  await reader.goto(article.path);
  expect(await articleAccess(reader)).toBe("preview");
  await expect(reader.getByText(article.lastParagraph)).toHaveCount(0);

  await Promise.all([managerContext.close(), reader.context().close(), admin.context().close()]);
});
