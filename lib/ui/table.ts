import { html, type SafeHtml } from "./html";

/**
 * The account pages' table, as markup: the same as the admin's React table. On a narrow screen it
 * scrolls inside its own box, not the page; the box takes focus so a keyboard can scroll it.
 */
export function scrollingTable(className: string, columns: readonly (string | SafeHtml)[], rows: readonly SafeHtml[]): SafeHtml {
  return html`<div class="table-scroll" tabindex="0"><table class="${className}">
<thead><tr>${columns.map((column) => html`<th scope="col">${column}</th>`)}</tr></thead>
<tbody>${[...rows]}</tbody>
</table></div>`;
}
