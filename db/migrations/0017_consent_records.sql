CREATE TABLE "consent_records" (
	"stripe_subscription_id" text PRIMARY KEY NOT NULL,
	"user_id" text,
	"stripe_checkout_session_id" text NOT NULL,
	"plan_id" integer,
	"terms_text" text NOT NULL,
	"terms_version" text NOT NULL,
	"terms_hash" text NOT NULL,
	"shown_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD COLUMN "terms_text" text;--> statement-breakpoint
ALTER TABLE "checkout_attempts" ADD COLUMN "terms_version" text;--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "consent_records" ADD CONSTRAINT "consent_records_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE set null ON UPDATE no action;