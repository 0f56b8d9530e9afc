CREATE TYPE "public"."experiment_event_type" AS ENUM('reader', 'paywall_view');--> statement-breakpoint
CREATE TYPE "public"."experiment_state" AS ENUM('draft', 'running', 'stopped');--> statement-breakpoint
CREATE TABLE "experiment_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "experiment_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"variant_id" integer NOT NULL,
	"type" "experiment_event_type" NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"count" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "experiment_variants" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "experiment_variants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"experiment_id" integer NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"weight" integer NOT NULL,
	"anonymous_limit" integer,
	"registered_limit" integer,
	"lead_in_blocks" integer,
	"paywall_heading" text,
	"paywall_body" text,
	"paywall_button" text,
	"featured_offer_id" integer,
	"no_offer" boolean DEFAULT false NOT NULL,
	"plan_order" integer[],
	"default_plan_id" integer,
	CONSTRAINT "experiment_variants_position_unique" UNIQUE("experiment_id","position"),
	CONSTRAINT "experiment_variants_weight_positive" CHECK ("experiment_variants"."weight" > 0)
);
--> statement-breakpoint
CREATE TABLE "experiments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "experiments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"salt" text NOT NULL,
	"state" "experiment_state" DEFAULT 'draft' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"stopped_at" timestamp with time zone,
	"applied_variant_id" integer
);
--> statement-breakpoint
ALTER TABLE "conversions" ADD COLUMN "variant_ids" integer[] DEFAULT '{}'::integer[] NOT NULL;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "paywall_button" text;--> statement-breakpoint
ALTER TABLE "site_settings" ADD COLUMN "default_plan_id" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "experiment_key" text;--> statement-breakpoint
ALTER TABLE "experiment_events" ADD CONSTRAINT "experiment_events_variant_id_experiment_variants_id_fk" FOREIGN KEY ("variant_id") REFERENCES "public"."experiment_variants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_experiment_id_experiments_id_fk" FOREIGN KEY ("experiment_id") REFERENCES "public"."experiments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_featured_offer_id_offers_id_fk" FOREIGN KEY ("featured_offer_id") REFERENCES "public"."offers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "experiment_variants" ADD CONSTRAINT "experiment_variants_default_plan_id_plans_id_fk" FOREIGN KEY ("default_plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "experiment_events_variant_idx" ON "experiment_events" USING btree ("variant_id","type");--> statement-breakpoint
ALTER TABLE "site_settings" ADD CONSTRAINT "site_settings_default_plan_id_plans_id_fk" FOREIGN KEY ("default_plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;