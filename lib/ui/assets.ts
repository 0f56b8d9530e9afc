import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

let stylesheet: string | undefined;

/** The site stylesheet's URL, versioned by its content so it can be cached forever. */
export function stylesheetHref(): string {
  if (!stylesheet) {
    const css = fs.readFileSync(path.join(process.cwd(), "public/site.css"));
    stylesheet = `/site.css?v=${createHash("sha256").update(css).digest("hex").slice(0, 10)}`;
  }
  return stylesheet;
}
