CREATE TYPE "public"."newsletter_audience" AS ENUM('everyone', 'paid');--> statement-breakpoint
CREATE TYPE "public"."newsletter_issue_state" AS ENUM('draft', 'sending', 'sent');--> statement-breakpoint
CREATE TYPE "public"."newsletter_outbox_state" AS ENUM('pending', 'sending', 'sent', 'failed', 'unknown');--> statement-breakpoint
CREATE TYPE "public"."newsletter_segment" AS ENUM('everyone', 'free', 'paid');--> statement-breakpoint
CREATE TABLE "newsletter_issues" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "newsletter_issues_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"newsletter_id" integer NOT NULL,
	"subject" text NOT NULL,
	"markdown" text,
	"article_id" integer,
	"segment" "newsletter_segment" DEFAULT 'everyone' NOT NULL,
	"state" "newsletter_issue_state" DEFAULT 'draft' NOT NULL,
	"created_by" text,
	"queued_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "newsletter_outbox" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "newsletter_outbox_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"issue_id" integer NOT NULL,
	"user_id" text,
	"email" text NOT NULL,
	"state" "newsletter_outbox_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"claimed_at" timestamp with time zone,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "newsletter_sender_lease" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"holder" text,
	"expires_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_sender_lease_single_row" CHECK ("newsletter_sender_lease"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "newsletter_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"blocked_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"messages_per_second" integer DEFAULT 20 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "newsletter_settings_single_row" CHECK ("newsletter_settings"."id" = 1),
	CONSTRAINT "newsletter_settings_rate_positive" CHECK ("newsletter_settings"."messages_per_second" between 1 and 1000)
);
--> statement-breakpoint
CREATE TABLE "newsletter_subscriptions" (
	"user_id" text NOT NULL,
	"newsletter_id" integer NOT NULL,
	"subscribed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "newsletter_subscriptions_user_id_newsletter_id_pk" PRIMARY KEY("user_id","newsletter_id")
);
--> statement-breakpoint
CREATE TABLE "newsletters" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "newsletters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"sender_name" text NOT NULL,
	"subscribe_on_signup" boolean DEFAULT false NOT NULL,
	"audience" "newsletter_audience" DEFAULT 'everyone' NOT NULL,
	"archived_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "newsletter_issues" ADD CONSTRAINT "newsletter_issues_newsletter_id_newsletters_id_fk" FOREIGN KEY ("newsletter_id") REFERENCES "public"."newsletters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_issues" ADD CONSTRAINT "newsletter_issues_article_id_articles_id_fk" FOREIGN KEY ("article_id") REFERENCES "public"."articles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_issues" ADD CONSTRAINT "newsletter_issues_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_outbox" ADD CONSTRAINT "newsletter_outbox_issue_id_newsletter_issues_id_fk" FOREIGN KEY ("issue_id") REFERENCES "public"."newsletter_issues"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_outbox" ADD CONSTRAINT "newsletter_outbox_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_subscriptions" ADD CONSTRAINT "newsletter_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "newsletter_subscriptions" ADD CONSTRAINT "newsletter_subscriptions_newsletter_id_newsletters_id_fk" FOREIGN KEY ("newsletter_id") REFERENCES "public"."newsletters"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "newsletter_issues_newsletter_idx" ON "newsletter_issues" USING btree ("newsletter_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "newsletter_outbox_issue_email_idx" ON "newsletter_outbox" USING btree ("issue_id","email");--> statement-breakpoint
CREATE INDEX "newsletter_outbox_issue_state_idx" ON "newsletter_outbox" USING btree ("issue_id","state");--> statement-breakpoint
CREATE INDEX "newsletter_outbox_pending_idx" ON "newsletter_outbox" USING btree ("id") WHERE "newsletter_outbox"."state" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "newsletter_subscriptions_list_idx" ON "newsletter_subscriptions" USING btree ("newsletter_id","subscribed_at");--> statement-breakpoint
-- hand-written: the settings and lease rows, and the first newsletter.
INSERT INTO "newsletter_settings" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "newsletter_sender_lease" ("id") VALUES (1) ON CONFLICT DO NOTHING;--> statement-breakpoint
INSERT INTO "newsletters" ("name", "description", "sender_name", "subscribe_on_signup")
  VALUES ('The Morning Briefing', 'The day''s essential stories from Port Calder and the coast, every weekday at 7.', 'The Morning Briefing', true);
