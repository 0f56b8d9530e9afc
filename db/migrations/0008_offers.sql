CREATE TYPE "public"."offer_duration" AS ENUM('once', 'repeating', 'forever');--> statement-breakpoint
CREATE TYPE "public"."offer_kind" AS ENUM('percent', 'amount', 'trial');--> statement-breakpoint
CREATE TABLE "billing_mails" (
	"key" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "offers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "offers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"code" text NOT NULL,
	"kind" "offer_kind" NOT NULL,
	"percent_off" integer,
	"amount_off" integer,
	"currency" text,
	"trial_days" integer,
	"duration" "offer_duration" NOT NULL,
	"duration_months" integer,
	"plan_ids" jsonb NOT NULL,
	"new_customers_only" boolean DEFAULT true NOT NULL,
	"starts_at" timestamp with time zone,
	"ends_at" timestamp with time zone,
	"max_redemptions" integer,
	"stripe_coupon_id" text,
	"stripe_promotion_code_id" text,
	"replaces_offer_id" integer,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "offers_percent_range" CHECK ("offers"."percent_off" is null or "offers"."percent_off" between 1 and 100),
	CONSTRAINT "offers_amount_positive" CHECK ("offers"."amount_off" is null or "offers"."amount_off" > 0),
	CONSTRAINT "offers_trial_days_range" CHECK ("offers"."trial_days" is null or "offers"."trial_days" between 1 and 730),
	CONSTRAINT "offers_terms_match_kind" CHECK (("offers"."kind" = 'percent' and "offers"."percent_off" is not null and "offers"."amount_off" is null and "offers"."trial_days" is null)
       or ("offers"."kind" = 'amount' and "offers"."amount_off" is not null and "offers"."currency" is not null and "offers"."percent_off" is null and "offers"."trial_days" is null)
       or ("offers"."kind" = 'trial' and "offers"."trial_days" is not null and "offers"."percent_off" is null and "offers"."amount_off" is null)),
	CONSTRAINT "offers_repeating_months" CHECK (("offers"."duration" = 'repeating') = ("offers"."duration_months" is not null))
);
--> statement-breakpoint
CREATE TABLE "retention_offer" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"kind" text DEFAULT 'none' NOT NULL,
	"offer_id" integer,
	"pause_months" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "retention_offer_single_row" CHECK ("retention_offer"."id" = 1),
	CONSTRAINT "retention_offer_pause_months" CHECK ("retention_offer"."pause_months" is null or "retention_offer"."pause_months" between 1 and 3)
);
--> statement-breakpoint
DROP INDEX "subscriptions_renewing_price_idx";--> statement-breakpoint
DROP INDEX "subscriptions_paying_ending_idx";--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "discount_percent_bp" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "discount_amount_off" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "discount_duration" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "discount_start" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "discount_end" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "offer_id" integer;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "collection_paused" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "paused_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "retention_offered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "cancel_reason" text;--> statement-breakpoint
ALTER TABLE "billing_mails" ADD CONSTRAINT "billing_mails_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "retention_offer" ADD CONSTRAINT "retention_offer_offer_id_offers_id_fk" FOREIGN KEY ("offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "offers_live_code_idx" ON "offers" USING btree (lower("code")) WHERE "offers"."archived_at" is null;--> statement-breakpoint
CREATE INDEX "subscriptions_discounted_idx" ON "subscriptions" USING btree ("status") WHERE "subscriptions"."discount_duration" is not null;--> statement-breakpoint
CREATE INDEX "subscriptions_offer_idx" ON "subscriptions" USING btree ("offer_id") WHERE "subscriptions"."offer_id" is not null;--> statement-breakpoint
CREATE INDEX "subscriptions_renewing_price_idx" ON "subscriptions" USING btree ("stripe_price_id") WHERE "subscriptions"."status" = 'active' and "subscriptions"."cancel_at" is null and not "subscriptions"."cancel_at_period_end" and not "subscriptions"."collection_paused";--> statement-breakpoint
CREATE INDEX "subscriptions_paying_ending_idx" ON "subscriptions" USING btree ("status") WHERE "subscriptions"."status" = 'past_due' or ("subscriptions"."status" = 'active' and ("subscriptions"."cancel_at" is not null or "subscriptions"."cancel_at_period_end" or "subscriptions"."collection_paused"));