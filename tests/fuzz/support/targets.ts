import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { junkComponent } from "./generators";

/** A route to fuzz: its name in reports, the paths to send to, and for a server action its id. */
export interface Target {
  name: string;
  path: fc.Arbitrary<string>;
  actionId?: string;
  /** For an admin action, the page it is posted from (admin actions get a second, signed-in run). */
  adminPage?: string;
}

/** Real values for dynamic segments, so some requests get past "not found" into the handler. */
export interface KnownValues {
  articleSlug: string;
  articleId: string;
  userId: string;
}

/** The Auth.js endpoints behind /api/auth/[...nextauth]: every action, ours and the ones we close. */
const AUTH_ENDPOINTS = ["providers", "session", "csrf", "signin", "signin/nodemailer", "signin/github", "signout", "callback/nodemailer", "callback", "verify-request", "error", "webauthn-options"];

function segment(name: string, known: KnownValues): fc.Arbitrary<string> {
  const real = { slug: known.articleSlug, id: known.articleId, userId: known.userId }[name];
  return real ? fc.oneof(fc.constant(real), junkComponent) : junkComponent;
}

/** `/admin/articles/[id]` with the segment drawn from real values and junk. */
function routePath(route: string, known: KnownValues): fc.Arbitrary<string> {
  const parts = route.split("/").map((part) => {
    const dynamic = /^\[(\w+)\]$/.exec(part);
    return dynamic ? segment(dynamic[1]!, known) : fc.constant(part);
  });
  return fc.tuple(...parts).map((p) => p.join("/") || "/");
}

/**
 * Every route of the build in `distDir`: pages and route handlers (app-paths-manifest.json), the
 * Auth.js endpoints, unknown paths (the not-found page), and every server action by its id
 * (server-reference-manifest.json), posted to a page that uses it, and look-alikes of every route
 * handler's path.
 */
export function buildTargets(distDir: string, known: KnownValues): Target[] {
  const read = (file: string) => JSON.parse(fs.readFileSync(path.join(distDir, "server", file), "utf8")) as Record<string, unknown>;
  const entries = Object.keys(read("app-paths-manifest.json"));
  const routes = entries
    .map((entry) => entry.replace(/\/(page|route)$/, "") || "/")
    .filter((route) => route !== "/_global-error")
    .sort();
  const targets: Target[] = [];
  for (const route of routes) {
    if (route === "/_not-found") targets.push({ name: "unknown paths", path: fc.array(junkComponent, { minLength: 1, maxLength: 3 }).map((p) => `/${p.join("/")}`) });
    else if (route === "/api/auth/[...nextauth]") {
      for (const endpoint of AUTH_ENDPOINTS) targets.push({ name: `/api/auth/${endpoint}`, path: fc.constant(`/api/auth/${endpoint}`) });
      targets.push({ name: "/api/auth/(junk)", path: junkComponent.map((j) => `/api/auth/${j}`) });
    } else targets.push({ name: route, path: routePath(route, known) });
  }
  const actions = (read("server-reference-manifest.json") as { node: Record<string, { exportedName?: string; workers: Record<string, unknown> }> }).node;
  for (const [id, action] of Object.entries(actions).sort(([, a], [, b]) => (a.exportedName ?? "").localeCompare(b.exportedName ?? ""))) {
    const page = Object.keys(action.workers)[0]!.replace(/^app/, "").replace(/\/page$/, "") || "/";
    const adminPage = page.startsWith("/admin") ? page.replace("[id]", known.articleId).replace("[userId]", known.userId) : undefined;
    targets.push({ name: `action ${action.exportedName ?? id}`, path: routePath(page, known), actionId: id, adminPage });
  }
  // Paths one step from a route handler's (the proxy excludes some handlers by exact path): to Next a
  // page path, where a multipart post is taken for a server action.
  for (const handler of entries.filter((entry) => entry.endsWith("/route") && !entry.startsWith("/api/")).sort()) {
    const route = handler.replace(/\/route$/, "");
    targets.push({ name: `look-alikes of ${route}`, path: fc.constantFrom("x", "-", "-portalx", ".json", "/x").chain((suffix) => routePath(route, known).map((p) => `${p}${suffix}`)) });
  }
  return targets;
}
