CREATE TABLE `battles` (
	`id` text PRIMARY KEY NOT NULL,
	`prompt_id` integer NOT NULL,
	`model_a_id` integer NOT NULL,
	`model_b_id` integer NOT NULL,
	`voter_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`winner` text,
	`voted_at` integer,
	`source` text DEFAULT 'live' NOT NULL,
	`identity_leak` integer DEFAULT false NOT NULL,
	`leak_reason` text,
	`excluded` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_a_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_b_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `battles_voter_created` ON `battles` (`voter_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `battles_voted_at` ON `battles` (`voted_at`);--> statement-breakpoint
CREATE TABLE `counters` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`file_name` text,
	`format` text NOT NULL,
	`summary` text NOT NULL,
	`user_email` text
);
--> statement-breakpoint
CREATE TABLE `models` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`display_name` text NOT NULL,
	`organization` text DEFAULT '' NOT NULL,
	`license` text DEFAULT '' NOT NULL,
	`link` text,
	`hidden` integer DEFAULT false NOT NULL,
	`deprecated` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `models_slug_unique` ON `models` (`slug`);--> statement-breakpoint
CREATE TABLE `prompt_categories` (
	`prompt_id` integer NOT NULL,
	`category` text NOT NULL,
	PRIMARY KEY(`prompt_id`, `category`),
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `prompt_categories_category` ON `prompt_categories` (`category`,`prompt_id`);--> statement-breakpoint
CREATE TABLE `prompts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`external_id` text,
	`text` text NOT NULL,
	`turns` text,
	`language` text DEFAULT 'en' NOT NULL,
	`content_hash` text NOT NULL,
	`source` text DEFAULT '' NOT NULL,
	`disabled` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prompts_content_hash_unique` ON `prompts` (`content_hash`);--> statement-breakpoint
CREATE INDEX `prompts_disabled_id` ON `prompts` (`disabled`,`id`);--> statement-breakpoint
CREATE TABLE `responses` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`prompt_id` integer NOT NULL,
	`model_id` integer NOT NULL,
	`text` text NOT NULL,
	`style` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `responses_prompt_model` ON `responses` (`prompt_id`,`model_id`);--> statement-breakpoint
CREATE INDEX `responses_model` ON `responses` (`model_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tallies` (
	`category` text NOT NULL,
	`model_a_id` integer NOT NULL,
	`model_b_id` integer NOT NULL,
	`wins_a` integer DEFAULT 0 NOT NULL,
	`wins_b` integer DEFAULT 0 NOT NULL,
	`ties` integer DEFAULT 0 NOT NULL,
	`both_bad` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`category`, `model_a_id`, `model_b_id`),
	FOREIGN KEY (`model_a_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`model_b_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`email` text NOT NULL,
	`name` text,
	`password_hash` text,
	`role` text DEFAULT 'admin' NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);--> statement-breakpoint
CREATE TABLE `voter_seen` (
	`voter_id` text NOT NULL,
	`prompt_id` integer NOT NULL,
	PRIMARY KEY(`voter_id`, `prompt_id`),
	FOREIGN KEY (`prompt_id`) REFERENCES `prompts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `voters` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`excluded_at` integer
);
