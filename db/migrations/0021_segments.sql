CREATE TYPE "public"."segment_device" AS ENUM('mobile', 'tablet', 'desktop');--> statement-breakpoint
CREATE TYPE "public"."segment_frequency" AS ENUM('new', 'returning', 'loyal');--> statement-breakpoint
CREATE TABLE "segment_rules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "segment_rules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"referrer_classes" "source_class"[],
	"signed_in" boolean,
	"newsletter_subscriber" boolean,
	"frequencies" "segment_frequency"[],
	"devices" "segment_device"[],
	"countries" text[],
	"anonymous_limit" integer,
	"registered_limit" integer,
	"lead_in_blocks" integer,
	"registration_wall" boolean,
	"paywall_heading" text,
	"paywall_body" text,
	"paywall_button" text,
	"featured_offer_id" integer,
	"no_offer" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "experiments" ADD COLUMN "segment_id" integer;--> statement-breakpoint
ALTER TABLE "segment_rules" ADD CONSTRAINT "segment_rules_featured_offer_id_offers_id_fk" FOREIGN KEY ("featured_offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "segment_rules_position_idx" ON "segment_rules" USING btree ("position");--> statement-breakpoint
ALTER TABLE "experiments" ADD CONSTRAINT "experiments_segment_id_segment_rules_id_fk" FOREIGN KEY ("segment_id") REFERENCES "public"."segment_rules"("id") ON DELETE set null ON UPDATE no action;