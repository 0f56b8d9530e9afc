import "server-only";
import { isIP } from "node:net";
import { z } from "zod";

const positiveInt = z.coerce.number().int().min(1);

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

// Links in emails, redirects and canonical URLs are built on it: only an origin makes sense.
const siteUrl = z
  .url({ protocol: /^https?$/, error: "SITE_URL must be an http:// or https:// URL", abort: true })
  .refine((v) => {
    const u = new URL(v);
    return u.pathname === "/" && !u.search && !u.hash && !u.username && !u.password;
  }, "SITE_URL must be the site's origin only, e.g. https://news.example.com (no path, query or fragment)")
  .transform((v) => new URL(v).origin);

/** The proxies in front of the app whose X-Forwarded-For entries are believed (docs/client-address.md). */
export type TrustedProxies = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "networks"; networks: Array<{ address: string; prefix: number; family: "ipv4" | "ipv6" }> };

const TRUSTED_PROXIES_HELP = 'TRUSTED_PROXIES must be a number of proxy hops (e.g. 1 for one nginx) or a comma-separated list of addresses and CIDR ranges (e.g. "10.0.0.0/8, 127.0.0.1"); unset means none';

// Unset or 0: the socket's address is the client's. A count: that many proxies append to X-Forwarded-For.
// A list: the proxies' own addresses or ranges, skipped from the right of the chain.
const trustedProxies = z
  .string()
  .default("0")
  .transform((value, ctx): TrustedProxies => {
    const text = value.trim();
    if (/^\d+$/.test(text)) {
      const hops = Number(text);
      if (hops > 10) ctx.addIssue({ code: "custom", message: TRUSTED_PROXIES_HELP });
      return hops === 0 ? { kind: "none" } : { kind: "hops", hops };
    }
    const networks = text.split(",").map((entry) => {
      const [address = "", prefix, ...rest] = entry.trim().split("/");
      const version = isIP(address);
      const max = version === 4 ? 32 : 128;
      const bits = prefix === undefined ? max : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (!version || rest.length > 0 || !(bits >= 0 && bits <= max)) return null;
      return { address, prefix: bits, family: version === 4 ? ("ipv4" as const) : ("ipv6" as const) };
    });
    if (networks.some((n) => n === null)) {
      ctx.addIssue({ code: "custom", message: TRUSTED_PROXIES_HELP });
      return { kind: "none" };
    }
    return { kind: "networks", networks: networks.filter((n) => n !== null) };
  });

// Every variable the app reads, parsed once; a bad value stops start-up with a clear message.
const variables = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional(),
  // The default is applied after the production rules, which require it to be set.
  SITE_URL: siteUrl.optional(),
  SITE_NAME: z.string().min(1).default("The Port Calder Ledger"),
  METER_ANONYMOUS_LIMIT: z.coerce.number().int().min(0).default(3),
  METER_REGISTERED_LIMIT: z.coerce.number().int().min(0).default(10),
  METER_WINDOW_DAYS: positiveInt.default(30),
  LEAD_IN_BLOCKS: positiveInt.default(2),
  // The site's time zone (IANA name): gift allowances renew on the 1st of the month there.
  SITE_TIME_ZONE: z
    .string()
    .default("UTC")
    .refine(isTimeZone, "SITE_TIME_ZONE must be an IANA time zone, e.g. Europe/Berlin"),
  // Sign-in mail: an SMTP URL (smtp://user:pass@host:port). In development `npm run dev` starts a
  // local sink and sets it; when unset elsewhere, email sign-in is off.
  EMAIL_SERVER: z.string().regex(/^smtps?:\/\//, "EMAIL_SERVER must be an smtp:// or smtps:// URL").optional(),
  EMAIL_FROM: z.string().min(3).default("The Port Calder Ledger <no-reply@localhost>"),
  // Where newsletters are sent from: this server's own background sender (one instance at a time,
  // by a database lease), or "off" when a separate `npm run newsletters:send` worker sends.
  NEWSLETTER_SENDER: z.enum(["in-process", "off"]).default("in-process"),
  // The EU withdrawal function (14 days after purchase, docs/cancel-and-withdraw.md): off, or on
  // with the publisher's refund rule: all of the first payment, or all but the days read.
  // Days before a yearly renewal its notice is mailed (California: 15–45 for yearly terms).
  RENEWAL_NOTICE_DAYS: z.coerce.number().int().min(3, "RENEWAL_NOTICE_DAYS must be 3 to 45").max(45, "RENEWAL_NOTICE_DAYS must be 3 to 45").default(15),
  EU_WITHDRAWAL: z.enum(["off", "full_refund", "pro_rata_refund"], { error: "EU_WITHDRAWAL must be off, full_refund or pro_rata_refund" }).default("off"),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  AUTH_GOOGLE_ID: z.string().optional(),
  AUTH_GOOGLE_SECRET: z.string().optional(),
  ADMIN_EMAILS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((e) => e.trim().toLowerCase())
        .filter(Boolean),
    ),
  SIGNIN_LIMIT_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  SIGNIN_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).default(30),
  // Starting Checkout (each start is a Stripe session and a row): per hour, per client address and per browser.
  CHECKOUT_LIMIT_PER_CLIENT: positiveInt.default(10),
  CHECKOUT_LIMIT_PER_BROWSER: positiveInt.default(10),
  // Bodies larger than these get 413 before they are read whole.
  WEBHOOK_BODY_LIMIT_BYTES: positiveInt.default(1_048_576),
  FORM_BODY_LIMIT_BYTES: positiveInt.default(65_536),
  // Billing. With STRIPE_API_BASE the app talks to a Stripe-compatible server (the emulator).
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_/, "STRIPE_SECRET_KEY must be a Stripe secret key").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith("whsec_", "STRIPE_WEBHOOK_SECRET must start with whsec_").optional(),
  STRIPE_API_BASE: z.url().optional(),
  BILLING_GRACE_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  // Crawlers that read locked articles in full once DNS proves who they are; none by default.
  VERIFIED_CRAWLERS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((c) => c.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.enum(["google"], { error: "VERIFIED_CRAWLERS may only name google" }))),
  TRUSTED_PROXIES: trustedProxies,
  // The header the front proxy or CDN sets to the reader's country (e.g. cf-ipcountry), for segment
  // rules; unset: none. Read only on requests that came through a trusted proxy (TRUSTED_PROXIES).
  COUNTRY_HEADER: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9-]{1,64}$/, "COUNTRY_HEADER must be a header name, e.g. cf-ipcountry")
    .optional(),
  SEED_DEMO_CONTENT: z
    .enum(["true", "false", "1", "0"])
    .default("true")
    .transform((v) => v === "true" || v === "1"),
  // Set by Next while it builds: the build runs in production mode without the server's secrets.
  NEXT_PHASE: z.string().optional(),
});

/**
 * What a production server cannot run without. env() runs when the server starts
 * (instrumentation.ts), so a misconfigured server stops with a message naming the variable
 * instead of reporting ready and then failing on every request.
 */
function productionRules(e: z.infer<typeof variables>, ctx: z.RefinementCtx): void {
  if (e.NODE_ENV !== "production" || e.NEXT_PHASE === "phase-production-build") return;
  const missing = (variable: keyof typeof e, message: string) => ctx.addIssue({ code: "custom", path: [variable], message });
  if (!e.AUTH_SECRET) missing("AUTH_SECRET", "AUTH_SECRET is required in production: at least 32 random characters (openssl rand -base64 32)");
  if (!e.SITE_URL) missing("SITE_URL", "SITE_URL is required in production: the site's public origin, e.g. https://news.example.com");
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    missing("STRIPE_WEBHOOK_SECRET", "STRIPE_WEBHOOK_SECRET is required when STRIPE_SECRET_KEY is set: without it no webhook can be verified");
  }
  if (e.STRIPE_WEBHOOK_SECRET && !e.STRIPE_SECRET_KEY) {
    missing("STRIPE_SECRET_KEY", "STRIPE_SECRET_KEY is required when STRIPE_WEBHOOK_SECRET is set: without it billing cannot run");
  }
}

const schema = variables
  .superRefine(productionRules)
  .transform(({ NEXT_PHASE: _phase, ...e }) => ({ ...e, SITE_URL: e.SITE_URL ?? "http://localhost:3000" }));

export type Env = z.infer<typeof schema>;

/** Parses an environment (empty values count as unset); throws one message naming every bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, v]) => v !== "")));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${problems.join("\n")}`);
  }
  return result.data;
}

let parsed: Env | undefined;

export function env(): Env {
  return (parsed ??= parseEnv(process.env));
}

/** For tests that change the environment between cases. */
export function resetEnvForTests(): void {
  parsed = undefined;
}
