import type { Page } from "@playwright/test";

/** Collects the text of every response the page receives, to prove the locked part never arrives. */
export function recordResponses(page: Page): string[] {
  const bodies: string[] = [];
  page.on("response", async (response) => {
    try {
      bodies.push(await response.text());
    } catch {
      // Redirects and aborted requests have no body.
    }
  });
  return bodies;
}
