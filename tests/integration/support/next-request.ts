import { vi } from "vitest";
import { mockedCookies } from "./admin-harness";

/*
 * What next/headers and next/cache give a server action, page or route handler that a test calls
 * directly, outside a request. vi.mock must stay in the test file (it is hoisted there), so each
 * file names the modules and takes their replacements from here:
 *   vi.mock("next/headers", async () => (await import("./support/next-request")).nextHeaders());
 *   vi.mock("next/cache", async (original) => (await import("./support/next-request")).nextCache(await original()));
 */

/** The request's cookies are cookieState's session; the rest is a plain browser request. */
export function nextHeaders() {
  return {
    cookies: async () => mockedCookies(),
    headers: async () => new Headers({ "user-agent": "vitest" }),
    draftMode: async () => ({ isEnabled: false }),
  };
}

/** refresh() and the revalidation calls need Next's request context, which a direct call does not have. */
export function nextCache(original: typeof import("next/cache")) {
  return { ...original, refresh: vi.fn(), revalidatePath: vi.fn(), revalidateTag: vi.fn(), updateTag: vi.fn() };
}
