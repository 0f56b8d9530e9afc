/**
 * The test control API under /_emulator/ (no auth): clock, reset, webhook deliveries and
 * delivery switches. Bodies may be JSON or form-encoded.
 */
import { z } from "zod";
import type { Emulator } from "./context";
import { invalidRequest } from "./errors";
import { parseParams, intParam } from "./params";
import { processUntil } from "./renewals";

export interface ControlResult {
  status: number;
  body: unknown;
}

const clockSchema = z.strictObject({
  advance_seconds: intParam.pipe(z.number().min(0).max(20 * 365 * 86_400)).optional(),
  to: intParam.optional(),
});

const nextSchema = z.strictObject({
  mode: z.enum(["duplicate", "delay", "out_of_order"]),
  delay_ms: intParam.pipe(z.number().min(0).max(600_000)).optional(),
});

function clockBody(em: Emulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = em.clock.now();
  return { now, iso: new Date(now * 1000).toISOString(), offset_seconds: em.clock.offset, ...extra };
}

export function handleControl(
  em: Emulator,
  method: string,
  path: string,
  params: Record<string, unknown>,
  reset: () => void,
): ControlResult {
  const route = `${method} ${path.replace(/\/+$/, "")}`;
  switch (route) {
    case "GET /_emulator/clock":
      return { status: 200, body: clockBody(em) };
    case "POST /_emulator/clock": {
      const p = parseParams(clockSchema, params);
      if ((p.advance_seconds === undefined) === (p.to === undefined)) {
        throw invalidRequest("Pass exactly one of advance_seconds or to.", "advance_seconds");
      }
      const target = p.to ?? em.clock.now() + (p.advance_seconds ?? 0);
      if (target < em.clock.now()) throw invalidRequest("The emulator clock cannot go backwards.", "to");
      const steps = processUntil(em, target);
      return { status: 200, body: clockBody(em, { processed: steps }) };
    }
    case "POST /_emulator/reset":
      reset();
      return { status: 200, body: { reset: true, ...clockBody(em) } };
    case "GET /_emulator/deliveries":
      return { status: 200, body: { object: "list", pending: em.webhooks.pendingCount(), data: em.webhooks.list() } };
    case "POST /_emulator/webhooks/next": {
      const p = parseParams(nextSchema, params);
      em.webhooks.setNext(p.mode, p.delay_ms ?? 1000);
      return { status: 200, body: { armed: p.mode, delay_ms: p.mode === "delay" ? (p.delay_ms ?? 1000) : null } };
    }
    case "GET /_emulator/webhook_endpoints":
      return {
        status: 200,
        body: {
          object: "list",
          data: Object.values(em.store.state.webhook_endpoints).map(({ endpoint, secret }) => ({ id: endpoint.id, url: endpoint.url, secret, status: endpoint.status })),
        },
      };
    default:
      return {
        status: 404,
        body: { error: { type: "invalid_request_error", message: `Unknown emulator control route (${method}: ${path}).` } },
      };
  }
}
