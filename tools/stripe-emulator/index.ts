/**
 * startStripeEmulator: a stateful local stand-in for the part of Stripe Masthead uses.
 * Development and tests only; the app never imports this.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Clock } from "./clock";
import { resolveConfig, type StripeEmulatorOptions } from "./config";
import type { Emulator } from "./context";
import { IdempotencyCache } from "./idempotency";
import { processUntil } from "./renewals";
import { addEndpoint } from "./resources/webhook-endpoints";
import { createRequestHandler } from "./server";
import { Store } from "./store";
import { WebhookDispatcher, type DeliverySummary } from "./webhooks";

export type { StripeEmulatorOptions, WebhookTarget } from "./config";
export type { DeliverySummary, DeliveryMode } from "./webhooks";
export { signPayload } from "./webhooks";

export interface StripeEmulator {
  /** Base URL, e.g. http://127.0.0.1:12111 (the SDK's host/port/protocol). */
  url: string;
  port: number;
  host: string;
  /** Endpoints configured at start (options.webhooks), with their secrets. */
  webhooks: Array<{ id: string; url: string; secret: string }>;
  /** Current emulator time (unix seconds). */
  now(): number;
  /** Same as POST /_emulator/clock {advance_seconds}. */
  advanceClock(seconds: number): void;
  /** Same as POST /_emulator/reset. */
  reset(): void;
  deliveries(): DeliverySummary[];
  /** Resolves once no webhook delivery is pending. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

function configureEndpoints(em: Emulator): Array<{ id: string; url: string; secret: string }> {
  const records = em.store.state.webhook_endpoints;
  const wanted = em.config.webhooks;
  for (const [id, record] of Object.entries(records)) {
    if (record.configured && !wanted.some((target) => target.url === record.endpoint.url)) delete records[id];
  }
  return wanted.map((target) => {
    const existing = Object.values(records).find((record) => record.configured && record.endpoint.url === target.url);
    if (existing) {
      if (target.secret) existing.secret = target.secret;
      else target.secret = existing.secret;
      existing.endpoint.enabled_events = target.enabledEvents ?? ["*"];
      existing.endpoint.status = "enabled";
      return { id: existing.endpoint.id, url: target.url, secret: existing.secret };
    }
    const { endpoint, secret } = addEndpoint(em, {
      url: target.url,
      enabledEvents: target.enabledEvents ?? ["*"],
      secret: target.secret,
      description: "Configured at start",
      configured: true,
    });
    // A generated secret stays the same after a reset.
    target.secret = secret;
    return { id: endpoint.id, url: endpoint.url, secret };
  });
}

export async function startStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const config = resolveConfig(options);
  const store = new Store(config.stateFile, config.log);
  store.load();
  const clock = new Clock(() => store.state);
  const webhooks = new WebhookDispatcher(config, () => Object.values(store.state.webhook_endpoints));
  const em: Emulator = { config, store, clock, webhooks, baseUrl: "", request: null };
  const idempotency = new IdempotencyCache();
  let configured = configureEndpoints(em);

  const reset = (): void => {
    store.reset();
    webhooks.clear();
    idempotency.clear();
    configured = configureEndpoints(em);
  };

  const server = createServer(createRequestHandler(em, { idempotency, reset }));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.host.includes(":") ? `[${config.host}]` : config.host === "0.0.0.0" ? "127.0.0.1" : config.host;
  em.baseUrl = config.publicUrl ?? `http://${hostForUrl}:${port}`;

  // Catch up on anything that fell due while the emulator was stopped, then keep up with the wall clock.
  processUntil(em, clock.now());
  const tick = config.tickMs === false ? null : setInterval(() => processUntil(em, clock.now()), config.tickMs);
  tick?.unref();

  let closed = false;
  return {
    url: em.baseUrl,
    port,
    host: config.host,
    get webhooks() {
      return configured;
    },
    now: () => clock.now(),
    advanceClock: (seconds) => {
      processUntil(em, clock.now() + seconds);
    },
    reset,
    deliveries: () => webhooks.list(),
    webhooksIdle: () => webhooks.idle(),
    close: async () => {
      if (closed) return;
      closed = true;
      if (tick) clearInterval(tick);
      webhooks.close();
      store.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
