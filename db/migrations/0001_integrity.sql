CREATE TABLE `admin_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `admin_sessions_email` ON `admin_sessions` (`email`);--> statement-breakpoint
CREATE TABLE `anomaly_checks` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`votes` integer DEFAULT 0 NOT NULL,
	`drawn` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE TABLE `redeemed_challenges` (
	`signature` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `redeemed_challenges_expires` ON `redeemed_challenges` (`expires_at`);--> statement-breakpoint
CREATE TABLE `sign_in_throttle` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `suspects` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`status` text NOT NULL,
	`reason` text DEFAULT '' NOT NULL,
	`test` text,
	`p_value` real,
	`votes` integer DEFAULT 0 NOT NULL,
	`flagged_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`decided_by` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
ALTER TABLE `battles` ADD `address` text;--> statement-breakpoint
ALTER TABLE `battles` ADD `import_id` integer;--> statement-breakpoint
ALTER TABLE `battles` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `battles_address_created` ON `battles` (`address`,`created_at`);--> statement-breakpoint
CREATE INDEX `battles_open_by_address` ON `battles` (`address`,`created_at`) WHERE "battles"."winner" is null;--> statement-breakpoint
ALTER TABLE `imports` ADD `status` text DEFAULT 'done' NOT NULL;--> statement-breakpoint
ALTER TABLE `models` ADD `import_id` integer;--> statement-breakpoint
ALTER TABLE `prompts` ADD `import_id` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `import_id` integer;--> statement-breakpoint
ALTER TABLE `responses` ADD `pending` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `voters` ADD `address` text;--> statement-breakpoint
CREATE INDEX `voters_address_created` ON `voters` (`address`,`created_at`);--> statement-breakpoint
-- Admin exclusions of voters move to `suspects`, where addresses and automatic flags live too.
INSERT INTO `suspects` (`kind`, `key`, `status`, `reason`, `flagged_at`, `updated_at`) SELECT 'voter', `id`, 'excluded', 'excluded by an admin', `excluded_at`, `excluded_at` FROM `voters` WHERE `excluded_at` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `voters` DROP COLUMN `excluded_at`;