import fs from "node:fs";
import path from "node:path";

const DIR = "public/images/demo";

/** The illustrations shipped in public/images/demo, as the paths an article's image may use. */
export function listDemoImages(): string[] {
  try {
    return fs
      .readdirSync(path.join(/*turbopackIgnore: true*/ process.cwd(), DIR))
      .filter((name) => /^[\w.-]+\.(svg|png|jpe?g|webp|avif|gif)$/i.test(name))
      .sort()
      .map((name) => `/images/demo/${name}`);
  } catch {
    return [];
  }
}
