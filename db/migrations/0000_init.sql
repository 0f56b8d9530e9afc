CREATE TYPE "public"."article_access" AS ENUM('free', 'metered', 'subscribers');--> statement-breakpoint
CREATE TYPE "public"."block_kind" AS ENUM('paragraph', 'heading', 'quote');--> statement-breakpoint
CREATE TYPE "public"."plan_interval" AS ENUM('month', 'year');--> statement-breakpoint
CREATE TABLE "article_blocks" (
	"article_id" integer NOT NULL,
	"position" integer NOT NULL,
	"kind" "block_kind" DEFAULT 'paragraph' NOT NULL,
	"text" text NOT NULL,
	CONSTRAINT "article_blocks_article_id_position_pk" PRIMARY KEY("article_id","position")
);
--> statement-breakpoint
CREATE TABLE "articles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "articles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"dek" text,
	"byline" text,
	"published_at" timestamp with time zone,
	"hero_image" text,
	"hero_image_alt" text,
	"hero_image_credit" text,
	"lead_in_blocks" integer,
	"access" "article_access" DEFAULT 'metered' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "articles_slug_unique" UNIQUE("slug"),
	CONSTRAINT "articles_lead_in_blocks_positive" CHECK ("articles"."lead_in_blocks" IS NULL OR "articles"."lead_in_blocks" >= 1)
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "plans_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text,
	"amount" integer NOT NULL,
	"currency" text DEFAULT 'usd' NOT NULL,
	"interval" "plan_interval" NOT NULL,
	"trial_days" integer DEFAULT 0 NOT NULL,
	"stripe_product_id" text,
	"stripe_price_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plans_stripe_price_id_unique" UNIQUE("stripe_price_id"),
	CONSTRAINT "plans_amount_non_negative" CHECK ("plans"."amount" >= 0),
	CONSTRAINT "plans_trial_days_non_negative" CHECK ("plans"."trial_days" >= 0)
);
--> statement-breakpoint
CREATE TABLE "site_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"meter_anonymous_limit" integer,
	"meter_registered_limit" integer,
	"meter_window_days" integer,
	"default_lead_in_blocks" integer,
	"paywall_heading" text,
	"paywall_body" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "site_settings_single_row" CHECK ("site_settings"."id" = 1)
);
--> statement-breakpoint
ALTER TABLE "article_blocks" ADD CONSTRAINT "article_blocks_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "articles_published_at_idx" ON "articles" USING btree ("published_at");