import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * One-way layers (ARCHITECTURE.md). A module imports only from the modules its layer lists;
 * anything else is a lint error. Each entry: the files of the module and the modules it must
 * not import. Import paths are matched both as `@/lib/x` and as relative `../x`.
 */
const FOUNDATION = ["env", "server-secret", "crypto", "cache", "http", "jobs", "ui"];
const DOMAIN = ["access", "settings", "content", "mail", "analytics", "segments", "experiments", "auth", "billing", "gifts", "newsletters", "offers", "retention", "trace", "crawlers", "leak-audit", "organisations", "gift-subscriptions", "privacy", "family"];
const TOP = ["reading", "admin", "startup"];
const above = (...allowed) => [...DOMAIN, ...TOP].filter((m) => !allowed.includes(m));

// Stripe has one door, lib/billing: elsewhere the SDK's types only, never its value or our client.
// (tools/ and tests/ are outside the app and drive Stripe, or the emulator, directly.)
const stripeDoorMessage = "Stripe is called only from lib/billing (ARCHITECTURE.md): add a function there. Type imports are fine.";
const stripeSdk = { name: "stripe", allowTypeImports: true, message: stripeDoorMessage };
const stripeClient = { regex: "^(?:@/lib/|(?:\\.\\./)+(?:lib/)?)billing/stripe-client$", allowTypeImports: true, message: stripeDoorMessage };
// Billing mail is decided in the webhook event's transaction: it calls neither Stripe (the invoice
// is fetched before the transaction opens) nor the mail server (billing-mail-delivery.ts sends).
const inTransactionMessage = "billing-mail.ts runs inside the event's transaction: it reaches neither Stripe nor the mail server.";
const inTransaction = {
  paths: [{ ...stripeSdk, message: inTransactionMessage }],
  patterns: [
    { regex: "^(?:\\./|@/lib/billing/)(?:stripe-client|pull-subscription|pull-customers|push-plans)$", message: inTransactionMessage },
    { regex: "^(?:@/lib/|(?:\\.\\./)+(?:lib/)?)mail/transport$", importNames: ["sendMail", "sendBulkMail"], message: inTransactionMessage },
  ],
};

const layers = [
  // A new lib/ module not listed below: it may use the domain, and nothing composes it yet.
  { name: "lib", files: ["lib/**/*.{ts,tsx}"], forbidden: TOP },
  // db/ knows no domain: schema, client, migrations, health. Its one lib import is the environment.
  { name: "db", files: ["db/**/*.ts"], forbidden: [...FOUNDATION.filter((m) => m !== "env"), ...DOMAIN, ...TOP] },
  // ui shows whether payments are emulated, a fact of the environment that billing names.
  { name: "foundation", files: ["lib/{env,server-secret}.ts", "lib/{crypto,cache,http,jobs,ui}/**/*.{ts,tsx}"], forbidden: [...DOMAIN, ...TOP], except: ["billing/mode"] },
  { name: "access", files: ["lib/access/**/*.ts"], forbidden: above() },
  { name: "settings", files: ["lib/settings.ts"], forbidden: above("access") },
  { name: "content", files: ["lib/content/**/*.ts"], forbidden: above("settings") },
  { name: "mail", files: ["lib/mail/**/*.ts"], forbidden: above() },
  { name: "analytics", files: ["lib/analytics/**/*.ts"], forbidden: above() },
  // Experiments: a reader's variant by a salted hash (it changes the meter's limits and the paywall's settings), the live ones cached, the results' statistics.
  // Segments: admin rules matched on what a request carries (they change the meter's limits and the paywall's settings), held in memory.
  { name: "segments", files: ["lib/segments/**/*.ts"], forbidden: above("access", "settings") },
  { name: "experiments", files: ["lib/experiments/**/*.ts"], forbidden: above("access", "settings") },
  // Auth keeps the signing-in browser's reader id for experiments (a reader who signs in keeps the variant).
  { name: "auth", files: ["lib/auth/**/*.ts"], forbidden: above("access", "settings", "mail", "analytics", "experiments") },
  { name: "billing", files: ["lib/billing/**/*.ts"], forbidden: above("access", "settings", "mail", "analytics", "auth"), insideStripeDoor: true },
  { name: "billing", files: ["lib/billing/billing-mail.ts"], forbidden: above("access", "settings", "mail", "analytics", "auth"), insideStripeDoor: true, more: inTransaction },
  // Gift links: the tokens, the allowance and the gate's check; the reading response and the admin compose them.
  { name: "gifts", files: ["lib/gifts/**/*.ts"], forbidden: above("access", "settings") },
  // Group licences: seats, invitations, joining by domain, the manager's view; judged by access's rules, mailed by mail, seat mails by billing's outbox.
  { name: "organisations", files: ["lib/organisations/**/*.ts"], forbidden: above("access", "settings", "mail", "auth", "billing") },
  // Family plans: places on a payer's subscription, invitations (organisations' one-time tokens), judged by access's rules, mailed by mail.
  { name: "family", files: ["lib/family/**/*.ts"], forbidden: above("access", "settings", "mail", "auth", "organisations") },
  // Gift subscriptions: bought through billing (which settles the payment), mailed by the outbox, read as a grant by access's rules.
  { name: "gift-subscriptions", files: ["lib/gift-subscriptions/**/*.ts"], forbidden: above("access", "settings", "mail", "auth", "billing") },
  // Newsletters: sign-up, links, the outbox sender; judged by access's rules, rendered from content, sent by mail.
  { name: "newsletters", files: ["lib/newsletters/**/*.ts"], forbidden: above("access", "settings", "content", "mail", "auth", "analytics") },
  // Offers and the cancel flow sell and keep subscriptions through billing.
  { name: "offers", files: ["lib/offers/**/*.ts"], forbidden: above("access", "settings", "mail", "analytics", "auth", "billing") },
  { name: "retention", files: ["lib/retention/**/*.ts"], forbidden: above("access", "settings", "mail", "analytics", "auth", "billing", "offers") },
  // Readers' data: deleting an account ends subscriptions through the cancel machinery; the cookie list names every module's cookie.
  { name: "privacy", files: ["lib/privacy/**/*.ts"], forbidden: above("access", "settings", "mail", "analytics", "auth", "billing", "retention", "experiments", "gifts") },
  // Read-only views of the domain: the access trace replays the decision; crawlers are proven by DNS
  // (asked by reading); the leak audit's canaries and report (shared by the admin page and tools/).
  { name: "trace", files: ["lib/trace/**/*.ts"], forbidden: above("access", "settings", "content", "auth", "experiments", "segments") },
  { name: "crawlers", files: ["lib/crawlers/**/*.ts"], forbidden: above("auth") },
  { name: "leak-audit", files: ["lib/leak-audit/**/*.ts"], forbidden: above("settings", "content", "experiments", "segments") },
  // The money audit reconciles billing's rows and Stripe with access's rules and the offers' terms; the admin page and tools/money-audit run it.
  { name: "money-audit", files: ["lib/money-audit/**/*.ts"], forbidden: TOP },
  // The article response is the one place that combines access, content, billing and analytics.
  { name: "reading", files: ["lib/reading/**/*.ts"], forbidden: ["admin", "startup"] },
  { name: "admin", files: ["lib/admin/**/*.ts"], forbidden: ["reading", "startup"] },
  { name: "startup", files: ["lib/startup/**/*.ts"], forbidden: ["reading", "admin"] },
];

/** Matches an import of one of `names` as `@/lib/name…` or `../name…`, but not of the `allowed` files. */
const modulePattern = (names, allowed = []) =>
  `^(?:@/lib/|(?:\\.\\./)+(?:lib/)?)(?:${names.join("|")})${allowed.map((a) => `(?!${a.slice(a.indexOf("/"))}$)`).join("")}(?:[/.]|$)`;

// Caches are forgotten only through lib/cache (announceChange in the writing transaction).
// (`refresh()`, which re-renders the admin's own page after an action, is not a cache.)
const cacheOwner = {
  name: "next/cache",
  importNames: ["revalidatePath", "revalidateTag", "updateTag", "unstable_cache", "cacheTag", "cacheLife"],
  message: "Caches are ours and forgotten through announceChange (lib/cache/invalidation.ts).",
};
const cacheInternals = {
  name: "@/lib/cache/invalidation",
  importNames: ["forgetOn", "whenListening"],
  message: "A cache is declared with ttlCache (lib/cache/ttl-cache.ts); writers call announceChange.",
};
const outsideApp = { regex: "^(?:@/|(?:\\.\\./)+)(?:app|tools|tests|proxy)(?:[/.]|$)", message: "lib/ and db/ never import routes, tools or tests." };

const layerRules = layers.map(({ name, files, forbidden, except = [], insideStripeDoor = false, more = { paths: [], patterns: [] } }) => {
  const banned = forbidden.filter((m) => m !== name);
  const partly = except.map((e) => e.split("/")[0]);
  const message = `Layers point one way (ARCHITECTURE.md): ${name} does not import ${banned.join(", ")}.`;
  const patterns = [
    outsideApp,
    { regex: modulePattern(banned.filter((m) => !partly.includes(m))), message },
    ...partly.map((m) => ({ regex: modulePattern([m], except), message: `${message} (Only ${except.join(", ")}.)` })),
    ...(insideStripeDoor ? [] : [stripeClient]),
    ...more.patterns,
  ];
  const paths = [cacheOwner, cacheInternals, ...(insideStripeDoor ? [] : [stripeSdk]), ...more.paths];
  return { files, rules: { "no-restricted-imports": ["error", { paths, patterns }] } };
});

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...layerRules,
  {
    files: ["app/**/*.{ts,tsx}", "proxy.ts", "instrumentation.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [cacheOwner, cacheInternals, stripeSdk], patterns: [{ regex: "^(?:@/|(?:\\.\\./)+)(?:tools|tests)(?:/|$)", message: "The app never imports tools or tests." }, stripeClient] },
      ],
    },
  },
  globalIgnores([".next/**", "out/**", "build/**", "next-env.d.ts", ".data/**", "test-results/**", "playwright-report/**"]),
]);
