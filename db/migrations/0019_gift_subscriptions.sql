CREATE TABLE "gift_subscriptions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "gift_subscriptions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"buyer_user_id" text,
	"buyer_email" text NOT NULL,
	"recipient_email" text NOT NULL,
	"message" text DEFAULT '' NOT NULL,
	"plan_id" integer,
	"plan_name" text NOT NULL,
	"months" integer NOT NULL,
	"amount" integer NOT NULL,
	"currency" text NOT NULL,
	"deliver_on" date NOT NULL,
	"stripe_session_id" text NOT NULL,
	"stripe_payment_intent_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"mailings" integer DEFAULT 0 NOT NULL,
	"token_hash" text,
	"redeemed_at" timestamp with time zone,
	"redeemed_by" text,
	"refunded_at" timestamp with time zone,
	"stripe_refund_id" text,
	CONSTRAINT "gift_subscriptions_stripe_session_id_unique" UNIQUE("stripe_session_id"),
	CONSTRAINT "gift_subscriptions_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "gift_subscriptions_months" CHECK ("gift_subscriptions"."months" in (1, 3, 6, 12)),
	CONSTRAINT "gift_subscriptions_amount_non_negative" CHECK ("gift_subscriptions"."amount" >= 0),
	CONSTRAINT "gift_subscriptions_recipient_lower_case" CHECK ("gift_subscriptions"."recipient_email" = lower("gift_subscriptions"."recipient_email")),
	CONSTRAINT "gift_subscriptions_redeemed_once" CHECK ("gift_subscriptions"."redeemed_at" is null or "gift_subscriptions"."refunded_at" is null)
);
--> statement-breakpoint
ALTER TABLE "grants" ADD COLUMN "gift_subscription_id" integer;--> statement-breakpoint
ALTER TABLE "gift_subscriptions" ADD CONSTRAINT "gift_subscriptions_buyer_user_id_users_id_fk" FOREIGN KEY ("buyer_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_subscriptions" ADD CONSTRAINT "gift_subscriptions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "gift_subscriptions" ADD CONSTRAINT "gift_subscriptions_redeemed_by_users_id_fk" FOREIGN KEY ("redeemed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "gift_subscriptions_due_idx" ON "gift_subscriptions" USING btree ("deliver_on") WHERE "gift_subscriptions"."paid_at" is not null and "gift_subscriptions"."delivered_at" is null and "gift_subscriptions"."refunded_at" is null;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_gift_subscription_id_gift_subscriptions_id_fk" FOREIGN KEY ("gift_subscription_id") REFERENCES "public"."gift_subscriptions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grants" ADD CONSTRAINT "grants_gift_subscription_id_unique" UNIQUE("gift_subscription_id");