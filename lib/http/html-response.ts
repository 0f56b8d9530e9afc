import { html, type SafeHtml } from "@/lib/ui/html";
import { documentShell } from "@/lib/ui/site-chrome";

/** A small page answered by a route handler (which, unlike a page, may also set cookies). */
export function simplePage(status: number, title: string, body: SafeHtml, head?: SafeHtml): Response {
  return new Response(documentShell({ title, head, main: html`<section class="page page--narrow">${body}</section>` }), {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
