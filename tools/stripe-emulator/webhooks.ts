/**
 * Webhook delivery: signs each attempt the way Stripe does (`Stripe-Signature: t=…,v1=…`,
 * HMAC-SHA256 of `${t}.${payload}`), sends it off the request path, retries non-2xx and
 * unreachable endpoints with exponential backoff, and keeps a log for `/_emulator/deliveries`.
 * Test switches make the next event's delivery duplicated, delayed or swapped with the next.
 */
import { createHmac } from "node:crypto";
import type Stripe from "stripe";
import type { ResolvedConfig } from "./config";
import type { WebhookEndpointRecord } from "./store";

export type DeliveryMode = "duplicate" | "delay" | "out_of_order";

export function signPayload(payload: string, secret: string, timestamp: number): string {
  const signature = createHmac("sha256", secret).update(`${timestamp}.${payload}`, "utf8").digest("hex");
  return `t=${timestamp},v1=${signature}`;
}

interface Delivery {
  id: number;
  event_id: string;
  type: string;
  url: string;
  secret: string;
  payload: string;
  mode: DeliveryMode | null;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  answered_at: string | null;
  state: "pending" | "succeeded" | "failed";
  next_attempt_at: number;
  /** out_of_order: waits until the delivery with this id was attempted (or the deadline passes). */
  held: { after: number | null; deadline: number } | null;
}

export interface DeliverySummary {
  id: number;
  event_id: string;
  type: string;
  url: string;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  answered_at: string | null;
  state: Delivery["state"];
  mode: DeliveryMode | null;
}

const MAX_LOG = 2000;

export class WebhookDispatcher {
  private deliveries: Delivery[] = [];
  private nextId = 1;
  private nextMode: { mode: DeliveryMode; delayMs: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly sending = new Set<Delivery>();
  private slotFree: (() => void) | null = null;
  private closed = false;
  private readonly inFlight = new Set<AbortController>();
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly config: ResolvedConfig,
    private readonly endpoints: () => WebhookEndpointRecord[],
  ) {}

  /** Queues the event for every enabled endpoint that listens to its type. Returns the count. */
  enqueue(event: Stripe.Event): number {
    const targets = this.endpoints().filter(
      ({ endpoint }) =>
        endpoint.status === "enabled" &&
        (endpoint.enabled_events.includes("*") || endpoint.enabled_events.includes(event.type)),
    );
    if (targets.length === 0) return 0;
    const mode = this.nextMode;
    this.nextMode = null;
    const payload = JSON.stringify(event, null, 2);
    const now = Date.now();
    for (const { endpoint, secret } of targets) {
      const copies = mode?.mode === "duplicate" ? 2 : 1;
      for (let copy = 0; copy < copies; copy++) {
        const delivery: Delivery = {
          id: this.nextId++,
          event_id: event.id,
          type: event.type,
          url: endpoint.url,
          secret,
          payload,
          mode: mode?.mode ?? null,
          attempts: 0,
          last_status: null,
          last_error: null,
          answered_at: null,
          state: "pending",
          next_attempt_at: mode?.mode === "delay" ? now + mode.delayMs : now,
          held: mode?.mode === "out_of_order" ? { after: null, deadline: now + this.config.outOfOrderHoldMs } : null,
        };
        // A held delivery from an earlier event goes after this one.
        for (const waiting of this.deliveries) {
          if (waiting.held && waiting.held.after === null && waiting.event_id !== event.id) waiting.held.after = delivery.id;
        }
        this.deliveries.push(delivery);
      }
    }
    this.trim();
    this.schedule(0);
    return targets.length;
  }

  /** Arms a switch for the next event that has at least one endpoint. */
  setNext(mode: DeliveryMode, delayMs = 1000): void {
    this.nextMode = { mode, delayMs };
  }

  pendingFor(eventId: string): number {
    return this.deliveries.filter((d) => d.event_id === eventId && d.state === "pending").length;
  }

  list(): DeliverySummary[] {
    return this.deliveries.map((d) => ({
      id: d.id,
      event_id: d.event_id,
      type: d.type,
      url: d.url,
      attempts: d.attempts,
      last_status: d.last_status,
      last_error: d.last_error,
      answered_at: d.answered_at,
      state: d.state,
      mode: d.mode,
    }));
  }

  pendingCount(): number {
    return this.deliveries.filter((d) => d.state === "pending").length;
  }

  /** Resolves when nothing is pending any more. */
  idle(): Promise<void> {
    if (this.pendingCount() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  clear(): void {
    this.deliveries = [];
    this.nextMode = null;
    this.notifyIdle();
  }

  close(): void {
    this.closed = true;
    this.slotFree?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const controller of this.inFlight) controller.abort();
    this.idleWaiters.forEach((resolve) => resolve());
    this.idleWaiters = [];
  }

  private trim(): void {
    if (this.deliveries.length <= MAX_LOG) return;
    const excess = this.deliveries.length - MAX_LOG;
    let removed = 0;
    this.deliveries = this.deliveries.filter((d) => (removed < excess && d.state !== "pending" ? (removed++, false) : true));
  }

  private isReady(delivery: Delivery, now: number): boolean {
    if (delivery.state !== "pending" || delivery.next_attempt_at > now) return false;
    if (!delivery.held) return true;
    if (now >= delivery.held.deadline) return true;
    if (delivery.held.after === null) return false;
    const successor = this.deliveries.find((d) => d.id === delivery.held?.after);
    return !successor || successor.attempts > 0 || successor.state !== "pending";
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pump();
    }, Math.max(0, delayMs));
  }

  private nextWakeUp(): number | null {
    let soonest: number | null = null;
    for (const d of this.deliveries) {
      if (d.state !== "pending" || this.sending.has(d)) continue;
      // A held delivery is released by its successor's attempt (handled in the pump loop) or its deadline.
      const at = d.held ? Math.max(d.next_attempt_at, d.held.deadline) : d.next_attempt_at;
      if (soonest === null || at < soonest) soonest = at;
    }
    return soonest;
  }

  /** Starts every ready delivery up to the concurrency limit; each one that ends pumps again. */
  private async pump(): Promise<void> {
    if (this.running || this.closed) return;
    this.running = true;
    try {
      for (;;) {
        const now = Date.now();
        const next = this.deliveries.find((d) => !this.sending.has(d) && this.isReady(d, now));
        if (!next || this.closed) break;
        if (this.sending.size >= this.config.webhookConcurrency) {
          await new Promise<void>((resolve) => (this.slotFree = resolve));
          continue;
        }
        this.sending.add(next);
        const sent = this.attempt(next).finally(() => {
          this.sending.delete(next);
          const wake = this.slotFree;
          this.slotFree = null;
          if (wake) wake();
          else this.schedule(0);
        });
        // One at a time keeps the order of readiness exactly.
        if (this.config.webhookConcurrency === 1) await sent;
      }
    } finally {
      this.running = false;
    }
    if (this.closed) return;
    const wake = this.nextWakeUp();
    if (wake === null) this.notifyIdle();
    else this.schedule(wake - Date.now());
  }

  private async attempt(delivery: Delivery): Promise<void> {
    delivery.attempts += 1;
    delivery.held = null;
    const timestamp = Math.floor(Date.now() / 1000);
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.config.retry.timeoutMs);
    this.inFlight.add(controller);
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: {
          "content-type": "application/json; charset=utf-8",
          "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks; stripe-emulator)",
          "stripe-signature": signPayload(delivery.payload, delivery.secret, timestamp),
        },
        body: delivery.payload,
        redirect: "manual",
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      delivery.last_status = response.status;
      delivery.last_error = null;
      delivery.answered_at = new Date().toISOString();
      if (response.status >= 200 && response.status < 300) {
        delivery.state = "succeeded";
        return;
      }
    } catch (error) {
      delivery.last_status = null;
      delivery.last_error = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    const { baseDelayMs, maxDelayMs, maxAttempts } = this.config.retry;
    if (delivery.attempts >= maxAttempts) {
      delivery.state = "failed";
      this.config.log(`stripe-emulator: gave up delivering ${delivery.event_id} (${delivery.type}) to ${delivery.url} after ${delivery.attempts} attempts`);
      return;
    }
    delivery.next_attempt_at = Date.now() + Math.min(maxDelayMs, baseDelayMs * 2 ** (delivery.attempts - 1));
  }

  private notifyIdle(): void {
    if (this.pendingCount() > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    waiters.forEach((resolve) => resolve());
  }
}
