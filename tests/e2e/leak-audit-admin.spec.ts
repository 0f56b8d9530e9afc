import { expect, test } from "@playwright/test";
import { adminPage } from "./support/sign-in";

// The admin runs the leak audit against the site itself (the e2e server) and reads its report.
test("an admin runs the leak audit against this site and reads a passing report", async ({ browser }) => {
  test.setTimeout(240_000);
  const admin = await adminPage(browser, "/admin/leak-audit");
  await admin.getByRole("button", { name: "Run the audit now" }).click();
  await expect(admin.getByText("The audit started")).toBeVisible();
  await expect(async () => {
    await admin.reload();
    await expect(admin.getByTestId("leak-audit-verdict")).toHaveText("Passed: no locked text found where it must not be", { timeout: 1_000 });
  }).toPass({ timeout: 200_000, intervals: [5_000] });
  await expect(admin.getByRole("cell", { name: "request-headers", exact: true })).toBeVisible();
  await expect(admin.getByText(/Not checked: registered/)).toBeVisible();
  await admin.context().close();
});
