CREATE TABLE "family_invites" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "family_invites_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"stripe_subscription_id" text NOT NULL,
	"email" text NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" text,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "family_invites_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "family_invites_email_lower_case" CHECK ("family_invites"."email" = lower("family_invites"."email"))
);
--> statement-breakpoint
CREATE TABLE "family_members" (
	"stripe_subscription_id" text NOT NULL,
	"user_id" text NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"ended_by" text,
	CONSTRAINT "family_members_stripe_subscription_id_user_id_pk" PRIMARY KEY("stripe_subscription_id","user_id"),
	CONSTRAINT "family_members_ended_by" CHECK (("family_members"."ended_at" is null) = ("family_members"."ended_by" is null))
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "family_accounts" integer;--> statement-breakpoint
ALTER TABLE "family_invites" ADD CONSTRAINT "family_invites_stripe_subscription_id_subscriptions_stripe_subscription_id_fk" FOREIGN KEY ("stripe_subscription_id") REFERENCES "public"."subscriptions"("stripe_subscription_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_invites" ADD CONSTRAINT "family_invites_accepted_by_users_id_fk" FOREIGN KEY ("accepted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_members" ADD CONSTRAINT "family_members_stripe_subscription_id_subscriptions_stripe_subscription_id_fk" FOREIGN KEY ("stripe_subscription_id") REFERENCES "public"."subscriptions"("stripe_subscription_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_members" ADD CONSTRAINT "family_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "family_invites_open_idx" ON "family_invites" USING btree ("stripe_subscription_id","email") WHERE "family_invites"."accepted_at" is null and "family_invites"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "family_members_user_idx" ON "family_members" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_family_accounts_range" CHECK ("plans"."family_accounts" is null or "plans"."family_accounts" between 2 and 20);