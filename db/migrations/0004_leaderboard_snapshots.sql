CREATE TABLE `leaderboard_demand` (
	`category` text NOT NULL,
	`method` text NOT NULL,
	`requested_at` integer NOT NULL,
	PRIMARY KEY(`category`, `method`)
);
--> statement-breakpoint
CREATE TABLE `leaderboard_snapshots` (
	`category` text NOT NULL,
	`method` text NOT NULL,
	`seq` integer NOT NULL,
	`tallies_version` integer NOT NULL,
	`catalog` text NOT NULL,
	`fitted_at` integer NOT NULL,
	`published_at` integer NOT NULL,
	`fit_gzip` blob NOT NULL,
	`view` text NOT NULL,
	`view_gzip` blob NOT NULL,
	`view_all` text NOT NULL,
	`view_all_gzip` blob NOT NULL,
	`pairwise_gzip` blob NOT NULL,
	`pairwise_all_gzip` blob NOT NULL,
	PRIMARY KEY(`category`, `method`)
);
--> statement-breakpoint
CREATE TABLE `leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `published_categories` (
	`id` integer PRIMARY KEY NOT NULL,
	`tallies_version` integer NOT NULL,
	`list` text NOT NULL,
	`published_at` integer NOT NULL
);
