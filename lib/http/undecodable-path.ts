/*
 * Next fails with a 500 (and logs nothing) when a dynamic segment holds a percent-escape that is
 * not UTF-8 (`/admin/subscribers/%ff`, `/api/auth/%C0%AF`): it cannot decode the route's params.
 * Such a path names nothing here, so it gets a 400 before routing. The proxy's matcher sends it
 * only paths with a `%` in them.
 */
export function refuseUndecodablePath(pathname: string): Response | undefined {
  if (!pathname.includes("%")) return undefined;
  try {
    decodeURIComponent(pathname);
    return undefined;
  } catch {
    return new Response("Bad request: the path is not valid percent-encoded UTF-8.\n", {
      status: 400,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
}
