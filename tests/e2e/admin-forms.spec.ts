import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN_EMAIL } from "./support/env";
import { adminPage } from "./support/sign-in";

/** Every named, visible control of a form with what it holds: the value, or whether it is ticked. */
function snapshot(form: Locator): Promise<Record<string, string>> {
  return form.evaluate((el: HTMLFormElement) => {
    const seen: Record<string, string> = {};
    for (const control of Array.from(el.elements) as Array<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) {
      if (!control.name || control.type === "hidden" || control.type === "file" || control.type === "submit") continue;
      if (control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio")) seen[`${control.name}=${control.value}`] = String(control.checked);
      else seen[control.id || control.name] = control.value;
    }
    return seen;
  });
}

/**
 * Moves every control away from what the page rendered (the last other option of each select and
 * radio group, each checkbox flipped, each text field typed in), then `invalid` sets the ones that
 * make the server refuse the form. A select's value that the list lacks (an offer archived in
 * another tab) is added to it first.
 */
async function changeEveryControl(form: Locator, invalid: Record<string, string>): Promise<void> {
  const radios = form.locator("input[type=radio]");
  const groups = new Set(await radios.evaluateAll((all) => all.map((r) => (r as HTMLInputElement).name)));
  for (const name of groups) await form.locator(`input[type=radio][name="${name}"]:not(:checked)`).last().check();
  for (const box of await form.locator("input[type=checkbox]").all()) await box.setChecked(!(await box.isChecked()));
  for (const select of await form.locator("select").all()) {
    const options = await select.locator("option").evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    const current = await select.inputValue();
    const other = options.filter((v) => v !== current && v !== "").at(-1);
    if (other !== undefined) await select.selectOption(other);
  }
  const fields = form.locator("textarea, input:not([type=hidden]):not([type=file]):not([type=checkbox]):not([type=radio])");
  for (const field of await fields.all()) {
    const type = await field.getAttribute("type");
    const name = (await field.getAttribute("name"))!;
    await field.fill(type === "date" ? "2031-02-03" : type === "datetime-local" ? "2031-02-03T04:05" : type === "number" ? "7" : `Kept ${name} 7`);
  }
  for (const [name, value] of Object.entries(invalid)) {
    const control = form.locator(`[name="${name}"]`).first();
    if ((await control.evaluate((el) => el.tagName)) === "SELECT") {
      await control.evaluate((el: HTMLSelectElement, v) => {
        if (!Array.from(el.options).some((o) => o.value === v)) el.add(new Option(`Stale ${v}`, v));
      }, value);
      await control.selectOption({ value });
    } else {
      await control.fill(value);
    }
  }
}

/** Submits a form that the server will refuse; every control must still hold what was submitted. */
async function refusedKeepsEverything(page: Page, form: Locator, invalid: Record<string, string>, submit?: string) {
  await changeEveryControl(form, invalid);
  const before = await snapshot(form);
  await (submit ? form.getByRole("button", { name: submit }) : form.locator("button[type=submit]").last()).click();
  await expect(form.locator(".form-message--error")).toBeVisible();
  expect(await snapshot(form)).toEqual(before);
  // Focus goes to what needs fixing, not back to the page.
  expect(await page.evaluate(() => document.activeElement?.matches("[aria-invalid='true'], .form-message") ?? false)).toBe(true);
}

test("every admin form keeps every submitted value after an error, selects and checkboxes included", async ({ browser }) => {
  const page = await adminPage(browser, "/admin/plans");
  const form = (name: string | RegExp) => page.getByRole("form", { name, exact: typeof name === "string" });

  await refusedKeepsEverything(page, form("New plan"), { amount: "abc" });
  await page.locator('[data-plan="Monthly"]').getByText("Edit Monthly").click();
  await refusedKeepsEverything(page, form("Edit Monthly"), { amount: "-3" });

  await page.goto("/admin/offers");
  await refusedKeepsEverything(page, form("New offer"), { kind: "percent", percentOff: "150" });
  // The case that once saved the wrong offer: a pause chosen, an error, then a save.
  await refusedKeepsEverything(page, form("Retention offer"), { kind: "pause", pauseMonths: "" });
  await expect(form("Retention offer").getByLabel("The cancel screen offers")).toHaveValue("pause");
  await refusedKeepsEverything(page, form("Where offers appear"), { featuredOfferId: "999999" });

  await page.goto("/admin/settings");
  await refusedKeepsEverything(page, form("Settings"), { meterAnonymousLimit: "999" });

  await page.goto("/admin/gifts");
  await refusedKeepsEverything(page, form("Gift settings"), { validDays: "0" });
  await refusedKeepsEverything(page, form(/^Gift allowance of /).first(), { giftAllowance: "-1" });

  await page.goto("/admin/newsletters");
  await refusedKeepsEverything(page, form("New newsletter"), { name: "" });
  await refusedKeepsEverything(page, form("Newsletter settings"), { messagesPerSecond: "abc" });
  await page.locator("main a[href^='/admin/newsletters/']:not([href*='issues'])").first().click();
  await refusedKeepsEverything(page, form(/^Edit /), { name: "" });
  await refusedKeepsEverything(page, form("Issue"), { subject: "" });

  await page.goto("/admin/articles/new");
  await refusedKeepsEverything(page, form("Article"), { title: "", body: "" });
  await page.goto("/admin/articles/import");
  await refusedKeepsEverything(page, form("Import"), {});

  await page.goto("/admin/subscribers");
  await page.getByLabel(/Search by email/).fill(ADMIN_EMAIL);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("link", { name: ADMIN_EMAIL }).click();
  await refusedKeepsEverything(page, form("Grant complimentary access"), { reason: "" });
  await page.context().close();
});
