import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { DataTable } from "@/app/admin/_components/data-table";
import { Field, InputField } from "@/app/admin/_components/field";

describe("the admin form field", () => {
  it("ties the label, hint and error to the control by id", () => {
    const html = renderToStaticMarkup(h(InputField, { name: "endsOn", label: "Last day", hint: "Through this day.", errors: { endsOn: "Not a date." }, type: "date" }));
    expect(html).toBe(
      '<div class="field"><label for="endsOn">Last day</label>' +
        '<input type="date" id="endsOn" aria-invalid="true" aria-describedby="endsOn-hint endsOn-error" name="endsOn"/>' +
        '<p id="endsOn-hint" class="field-hint">Through this day.</p>' +
        '<p id="endsOn-error" class="field-error">Not a date.</p></div>',
    );
  });

  it("without an error the control is described by its hint only, and another id prefixes both", () => {
    const html = renderToStaticMarkup(
      h(Field, { name: "kind", id: "offer-kind", label: "Type", hint: "One kind.", errors: { other: "x" }, children: (control) => h("select", control) }),
    );
    expect(html).toBe('<div class="field"><label for="offer-kind">Type</label><select id="offer-kind" name="kind" aria-describedby="offer-kind-hint"></select><p id="offer-kind-hint" class="field-hint">One kind.</p></div>');
  });
});

describe("the data table", () => {
  const row = (n: number) => h("tr", { key: n }, h("td", null, n));
  it("says so in a sentence, or in a row of its own, when there is no row", () => {
    expect(renderToStaticMarkup(h(DataTable<number>, { columns: ["N"], rows: [], empty: "None.", children: row }))).toBe("<p>None.</p>");
    expect(renderToStaticMarkup(h(DataTable<number>, { columns: ["N", "M"], rows: [], emptyRow: "None yet.", caption: "Numbers", children: row }))).toBe(
      '<div class="table-scroll" tabindex="0"><table class="admin-table"><caption>Numbers</caption><thead><tr><th scope="col">N</th><th scope="col">M</th></tr></thead><tbody><tr><td colSpan="2">None yet.</td></tr></tbody></table></div>',
    );
    expect(renderToStaticMarkup(h(DataTable<number>, { columns: ["N"], rows: [7], emptyRow: "None yet.", className: "table", children: row }))).toBe(
      '<div class="table-scroll" tabindex="0"><table class="table"><thead><tr><th scope="col">N</th></tr></thead><tbody><tr><td>7</td></tr></tbody></table></div>',
    );
  });
});
