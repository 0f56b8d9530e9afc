/** @type {import('next').NextConfig} */
const nextConfig = {
  // The bench builds a throw-away copy with a static baseline page into its own folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // PGlite ships WASM and data files that must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // Let the proxy see the request as sent, with Next's router headers (RSC, Next-Router-Prefetch):
  // a prefetch must never spend a meter credit.
  skipProxyUrlNormalize: true,
  reactStrictMode: true,
  // Server action bodies are read up to this and answered 413 beyond it. Not the 64 KB of the
  // public forms (FORM_BODY_LIMIT_BYTES): the admin's article editor and importer post whole
  // articles (an import file may be up to 1 MB), and this one setting covers every action.
  experimental: { serverActions: { bodySizeLimit: "1mb" } },
  // Development-only pages (the mailbox at /dev/mailbox) are named `page.dev.tsx`: they are pages
  // only outside production, so `next build` (which loads this file with NODE_ENV=production)
  // leaves them out of the build entirely.
  ...(process.env.NODE_ENV !== "production" ? { pageExtensions: ["tsx", "ts", "jsx", "js", "dev.tsx", "dev.ts"] } : {}),
  // `npm run typecheck` checks the whole project (tools and tests too); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
