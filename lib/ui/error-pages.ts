import { html, type SafeHtml } from "./html";
import { documentShell } from "./site-chrome";

/** The 404 notice, shared by the Next not-found page and the article pages. */
export function notFoundNotice(): SafeHtml {
  return html`<section class="notice">
  <p class="notice__code">404</p>
  <h1>We couldn’t find that page</h1>
  <p>The story may have moved or been unpublished. The latest news is on the front page.</p>
  <p><a class="button" href="/">Go to the front page</a></p>
</section>`;
}

export function notFoundDocument(): string {
  return documentShell({ title: "Page not found", main: notFoundNotice() });
}

/** The 503 page while the database cannot be reached: the reader's mistake it is not. */
export function unavailableDocument(): string {
  return documentShell({
    title: "Back in a moment",
    main: html`<section class="notice">
  <p class="notice__code">503</p>
  <h1>We’ll be back in a moment</h1>
  <p>The site cannot reach its database just now. Please reload the page in a few seconds.</p>
</section>`,
  });
}
