import * as staticInfo from "next/dist/build/analysis/get-page-static-info";
import { getMiddlewareRouteMatcher } from "next/dist/shared/lib/router/utils/middleware-route-matcher";
import { describe, expect, it } from "vitest";
import { config } from "@/proxy";

// Next's build compiles the matcher with this function; its type declarations leave it out.
const { getMiddlewareMatchers } = staticInfo as unknown as { getMiddlewareMatchers(matcher: unknown, nextConfig: object): Parameters<typeof getMiddlewareRouteMatcher>[0] };

/** The proxy's matcher compiled by Next's own code, asked as Next asks it for a request. */
const matches = getMiddlewareRouteMatcher(getMiddlewareMatchers(config.matcher, {}));

function multipartPost(pathname: string): boolean {
  const req = { headers: { "content-type": "multipart/form-data; boundary=x", origin: "http://localhost" } };
  return matches(pathname, req as never, {});
}

/** The route handlers that take multipart posts themselves, so the proxy leaves them alone. */
const EXCLUDED = ["/subscribe/checkout", "/subscribe/return", "/account/billing-portal", "/account/billing-return", "/account/update-card", "/admin/subscribers/export"];

describe("the proxy's matcher", () => {
  it("leaves the excluded route handlers' posts to them", () => {
    for (const route of EXCLUDED) expect(multipartPost(route), route).toBe(false);
  });

  it("checks a post to a look-alike of an excluded route, which Next would take for a server action", () => {
    for (const route of EXCLUDED) {
      for (const lookAlike of [`${route}x`, `${route}-1`, `${route}/x`, `${route}.json`]) expect(multipartPost(lookAlike), lookAlike).toBe(true);
    }
    expect(multipartPost("/account/billing-x")).toBe(true);
  });

  it("takes a plain GET of the pages it answers 503 for while the database is down", () => {
    const get = (pathname: string) => matches(pathname, { headers: {} } as never, {});
    for (const page of ["/", "/account", "/account/cancel", "/account/gifts", "/cancel"]) expect(get(page), page).toBe(true);
    expect(get("/account/billing-return")).toBe(false);
    expect(get("/about")).toBe(false);
  });

  it("checks a page request's router state header on any path, look-alikes of the excluded routes included", () => {
    const withState = (pathname: string) => matches(pathname, { headers: { rsc: "1", "next-router-state-tree": "junk" } } as never, {});
    for (const path of ["/subscribe/checkoutx", "/subscribe/return.json", "/account/billing-return-", "/nowhere"]) expect(withState(path), path).toBe(true);
    for (const route of EXCLUDED) expect(withState(route), route).toBe(false);
  });

  it("never takes the API or Next's own files", () => {
    expect(multipartPost("/api/stripe/webhook")).toBe(false);
    expect(multipartPost("/_next/static/x.js")).toBe(false);
  });
});
