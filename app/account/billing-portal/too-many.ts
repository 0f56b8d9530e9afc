import { simplePage } from "@/lib/http/html-response";
import { html } from "@/lib/ui/html";

/** The answer when a reader has opened the billing portal too often in the last hour. */
export function tooManyPortalSessions(retryAfterSeconds: number): Response {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const page = simplePage(
    429,
    "Please wait a little",
    html`<h1>Please wait a little</h1><p>The billing page was opened many times from your account in the last hour. Please try again in ${minutes} ${minutes === 1 ? "minute" : "minutes"}.</p><p><a href="/account">Back to your account</a></p>`,
  );
  page.headers.set("retry-after", String(retryAfterSeconds));
  return page;
}
