/** What every handler gets: state, clock, config, the webhook dispatcher and the current request. */
import type { Clock } from "./clock";
import type { ResolvedConfig } from "./config";
import type { Store } from "./store";
import type { WebhookDispatcher } from "./webhooks";

export interface RequestInfo {
  id: string;
  idempotency_key: string | null;
}

export interface Emulator {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly webhooks: WebhookDispatcher;
  /** e.g. http://127.0.0.1:12111, known once the server listens. */
  baseUrl: string;
  /** The API request being handled, recorded on the events it causes. */
  request: RequestInfo | null;
}

export const API_VERSION = "2026-10-28.endive";

/** A parsed API request as handlers see it. */
export interface ApiRequest {
  method: string;
  /** Form body and query string, decoded and merged. */
  params: Record<string, unknown>;
  /** Named parts of the URL path, e.g. `{ id: "cus_…" }`. */
  path: Record<string, string>;
}

export type ApiHandler = (em: Emulator, request: ApiRequest) => unknown;
