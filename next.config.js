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
  // `npm run typecheck` checks the whole project (tools and tests too); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
