CREATE TYPE "public"."conversion_entry" AS ENUM('paywall_card', 'offer_card', 'newsletter_box', 'gift_link');--> statement-breakpoint
CREATE TYPE "public"."conversion_event" AS ENUM('registered', 'newsletter_signup', 'checkout_started', 'subscribed');--> statement-breakpoint
CREATE TYPE "public"."source_class" AS ENUM('search', 'social', 'aggregator', 'newsletter', 'gift', 'internal', 'other', 'direct');--> statement-breakpoint
ALTER TYPE "public"."funnel_event_type" ADD VALUE 'paywall_reader';--> statement-breakpoint
CREATE TABLE "conversions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "conversions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"event" "conversion_event" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" text,
	"article_id" integer,
	"entry" "conversion_entry",
	"source_class" "source_class" NOT NULL,
	"referrer_host" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"offer_code" text,
	"checkout_session_id" text
);
--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversions" ADD CONSTRAINT "conversions_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversions_at_idx" ON "conversions" USING btree ("at","event");--> statement-breakpoint
CREATE UNIQUE INDEX "conversions_checkout_event_idx" ON "conversions" USING btree ("checkout_session_id","event");