import { expect, type Page } from "@playwright/test";

/**
 * Waits for /account to list an invoice of this amount. The invoice arrives by webhook, after the
 * reader is already back on our site, so the page is reloaded until the row is there.
 */
export async function expectInvoiceListed(page: Page, amount: string): Promise<void> {
  await expect(async () => {
    await page.goto("/account");
    await expect(page.getByRole("cell", { name: amount })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}
