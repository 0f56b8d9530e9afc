import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { siteCookieNames } from "@/lib/privacy/cookies";
import { privacyPageResponse } from "@/lib/reading/pages/privacy-page";

function sourcesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourcesUnder(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

const code = [...sourcesUnder("lib"), ...sourcesUnder("app"), "proxy.ts"].map((file) => ({ file, text: readFileSync(file, "utf8") }));

/** Every cookie name the code sets: the *COOKIE* constants, the *COOKIES lists, and names set literally. */
function cookieNamesInCode(): Map<string, string> {
  const found = new Map<string, string>();
  for (const { file, text } of code) {
    for (const m of text.matchAll(/const\s+[A-Z_]*COOKIE[A-Z_]*\s*=\s*"([^"]+)"/g)) found.set(m[1]!, file);
    for (const m of text.matchAll(/const\s+[A-Z_]*COOKIE(?:S|_NAMES)\s*=\s*\[([^\]]*)\]/g)) for (const n of m[1]!.matchAll(/"([^"]+)"/g)) found.set(n[1]!, file);
    for (const m of text.matchAll(/cookies\.set\(\s*"([^"]+)"/g)) found.set(m[1]!, file);
  }
  return found;
}

describe("the privacy page's cookie list", () => {
  it("finds the cookies the code sets (the scan itself works)", () => {
    const names = [...cookieNamesInCode().keys()];
    for (const known of ["mh_meter", "mh_rid", "authjs.session-token", "mh_src"]) expect(names).toContain(known);
  });

  it("names every cookie the code sets, and Auth.js's sign-in cookies, on /privacy", async () => {
    const page = await (await privacyPageResponse(new NextRequest("http://localhost/privacy"))).text();
    const listed = siteCookieNames();
    // Auth.js sets these itself (CSRF token, return address), under its own names.
    const expected = [...cookieNamesInCode().keys(), "authjs.csrf-token", "authjs.callback-url"];
    for (const name of expected) {
      expect(listed, `${name} (${cookieNamesInCode().get(name) ?? "Auth.js"}) is set but not on the privacy page`).toContain(name);
      expect(page).toContain(`<code>${name}</code>`);
    }
  });

  it("says there are no tracking cookies, and which are strictly necessary", async () => {
    const page = await (await privacyPageResponse(new NextRequest("http://localhost/privacy"))).text();
    expect(page).toContain("no advertising or tracking cookies");
    expect(page).toMatch(/<code>mh_meter<\/code><\/td><td>strictly necessary/);
    expect(page).toContain('href="/account/delete"');
  });
});
