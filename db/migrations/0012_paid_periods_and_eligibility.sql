CREATE TABLE "retention_acceptances" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "retention_acceptances_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" text NOT NULL,
	"stripe_subscription_id" text NOT NULL,
	"kind" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "gifts" ADD COLUMN "pool_gift_id" integer;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "trial_per_plan" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "paid_through" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "retention_acceptances" ADD CONSTRAINT "retention_acceptances_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "retention_acceptances_subscription_idx" ON "retention_acceptances" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "retention_acceptances_user_idx" ON "retention_acceptances" USING btree ("user_id","accepted_at");--> statement-breakpoint
ALTER TABLE "gifts" ADD CONSTRAINT "gifts_pool_gift_id_gifts_id_fk" FOREIGN KEY ("pool_gift_id") REFERENCES "public"."gifts"("id") ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
-- Hand-written (keep when this migration is regenerated): the newsletter outbox takes the billing
-- mail outbox's column names, so one module (lib/mail/outbox-state.ts) drives both.
ALTER TABLE "newsletter_outbox" RENAME COLUMN "error" TO "last_error";--> statement-breakpoint
ALTER TABLE "newsletter_outbox" RENAME COLUMN "not_before" TO "next_attempt_at";

--> statement-breakpoint
-- Hand-written backfill (keep when this migration is regenerated): a subscription whose current
-- period's invoice was voided or marked uncollectible (a pause) was paid only up to that
-- period's start; and a subscription paused by the save offer has used it.
UPDATE "subscriptions" s SET "paid_through" = s."current_period_start"
WHERE s."status" IN ('active', 'trialing', 'canceled') AND EXISTS (
  SELECT 1 FROM "invoices" i
  WHERE i."stripe_subscription_id" = s."stripe_subscription_id" AND i."status" IN ('void', 'uncollectible') AND i."period_start" = s."current_period_start"
);--> statement-breakpoint
INSERT INTO "retention_acceptances" ("user_id", "stripe_subscription_id", "kind", "accepted_at")
SELECT s."user_id", s."stripe_subscription_id", 'pause', s."updated_at" FROM "subscriptions" s
WHERE s."collection_paused" AND s."retention_offered_at" IS NOT NULL AND s."user_id" IS NOT NULL
ON CONFLICT DO NOTHING;
