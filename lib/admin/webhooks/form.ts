import { z } from "zod";
import { billingMailState, stripeEventState } from "@/db/schema";

export const EVENTS_PER_PAGE = 25;
export const EVENT_STATES = stripeEventState.enumValues;

export const webhookQuerySchema = z.object({
  type: z
    .string()
    .regex(/^[a-z_.]{1,100}$/)
    .optional()
    .catch(undefined),
  state: z.enum(EVENT_STATES).optional().catch(undefined),
  page: z.coerce.number<unknown>().int().min(1).max(100_000).catch(1),
});
export type WebhookQuery = z.output<typeof webhookQuerySchema>;

export const replayEventSchema = z.object({ eventId: z.string().trim().regex(/^[A-Za-z0-9_]{1,255}$/, "Not an event id") });

/** The billing mail states the admin is shown: the ones that need a person. */
export const UNDELIVERED_MAIL_STATES = ["failed", "unknown"] as const satisfies readonly (typeof billingMailState.enumValues)[number][];

export const resendBillingMailSchema = z.object({ key: z.string().trim().regex(/^[a-z_]{1,40}:[A-Za-z0-9_]{1,255}:\d{1,12}$/, "Not a billing mail key") });
