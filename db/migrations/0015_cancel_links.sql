CREATE TYPE "public"."cancellation_state" AS ENUM('pending', 'done', 'failed', 'withdrawn');--> statement-breakpoint
CREATE TABLE "cancel_links" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"email" text NOT NULL,
	"stripe_subscription_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "cancel_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cancel_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"email" text NOT NULL,
	"subscription_ref" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cancel_requests_email_lower_case" CHECK ("cancel_requests"."email" = lower("cancel_requests"."email"))
);
--> statement-breakpoint
CREATE TABLE "cancellations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "cancellations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"stripe_subscription_id" text NOT NULL,
	"user_id" text,
	"via" text NOT NULL,
	"reason" text,
	"requested_at" timestamp with time zone NOT NULL,
	"state" "cancellation_state" DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "cancel_links" ADD CONSTRAINT "cancel_links_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cancellations" ADD CONSTRAINT "cancellations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cancel_links_expires_idx" ON "cancel_links" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "cancellations_pending_subscription_idx" ON "cancellations" USING btree ("stripe_subscription_id") WHERE "cancellations"."state" = 'pending';--> statement-breakpoint
CREATE INDEX "cancellations_due_idx" ON "cancellations" USING btree ("next_attempt_at") WHERE "cancellations"."state" = 'pending';