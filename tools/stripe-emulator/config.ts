/** Options for `startStripeEmulator` and their defaults. */

export interface WebhookTarget {
  url: string;
  /** `whsec_…`; generated when missing. */
  secret?: string;
  /** Event types to send, default all (`*`). */
  enabledEvents?: string[];
}

export interface StripeEmulatorOptions {
  /** 0 picks a free port. Default 12111. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** Base of the hosted pages' URLs, default `http://<host>:<port>`. */
  publicUrl?: string;
  webhooks?: WebhookTarget[];
  /** JSON file that keeps state across restarts. */
  stateFile?: string;
  webhookRetry?: {
    /** Delay before the first retry; doubles each time. Default 500 ms. */
    baseDelayMs?: number;
    /** Cap on one delay. Default 60 s. */
    maxDelayMs?: number;
    /** Attempts before giving up. Default 6. */
    maxAttempts?: number;
    /** Per-attempt timeout. Default 10 s. */
    timeoutMs?: number;
  };
  dunning?: {
    /** Days between payment retries of a failed invoice. Default 3. */
    retryDays?: number;
    /** Retries after the first failure before the final action. Default 3. */
    retries?: number;
    /** What happens to the subscription when the retries are used up. Default "cancel". */
    finalAction?: "cancel" | "unpaid";
  };
  /**
   * Days before each renewal (or trial end) to send `invoice.upcoming`, as Stripe's "upcoming
   * renewal events" setting does. Default false: not sent.
   */
  upcomingInvoiceDays?: number | false;
  /** Wall-clock interval for processing renewals that fall due without `/_emulator/clock`. Default 30 s; false disables. */
  tickMs?: number | false;
  /** How long an `out_of_order` delivery waits for the next event before it is sent anyway. Default 5 s. */
  outOfOrderHoldMs?: number;
  /** Webhook deliveries in flight at once, like Stripe's parallel deliveries. Default 1 (in order of readiness). */
  webhookConcurrency?: number;
  /** Logger; false silences. Default console.log. */
  log?: ((line: string) => void) | false;
}

export interface ResolvedConfig {
  port: number;
  host: string;
  publicUrl: string | undefined;
  webhooks: WebhookTarget[];
  stateFile: string | undefined;
  retry: { baseDelayMs: number; maxDelayMs: number; maxAttempts: number; timeoutMs: number };
  dunning: { retryDays: number; retries: number; finalAction: "cancel" | "unpaid" };
  upcomingInvoiceDays: number | false;
  tickMs: number | false;
  outOfOrderHoldMs: number;
  webhookConcurrency: number;
  log: (line: string) => void;
}

export function resolveConfig(options: StripeEmulatorOptions): ResolvedConfig {
  const log = options.log === false ? () => {} : (options.log ?? ((line: string) => console.log(line)));
  return {
    port: options.port ?? 12111,
    host: options.host ?? "127.0.0.1",
    publicUrl: options.publicUrl?.replace(/\/+$/, ""),
    webhooks: (options.webhooks ?? []).map((target) => ({ ...target })),
    stateFile: options.stateFile,
    retry: {
      baseDelayMs: options.webhookRetry?.baseDelayMs ?? 500,
      maxDelayMs: options.webhookRetry?.maxDelayMs ?? 60_000,
      maxAttempts: options.webhookRetry?.maxAttempts ?? 6,
      timeoutMs: options.webhookRetry?.timeoutMs ?? 10_000,
    },
    dunning: {
      retryDays: options.dunning?.retryDays ?? 3,
      retries: options.dunning?.retries ?? 3,
      finalAction: options.dunning?.finalAction ?? "cancel",
    },
    upcomingInvoiceDays: options.upcomingInvoiceDays ?? false,
    tickMs: options.tickMs ?? 30_000,
    outOfOrderHoldMs: options.outOfOrderHoldMs ?? 5_000,
    webhookConcurrency: Math.max(1, options.webhookConcurrency ?? 1),
    log,
  };
}
