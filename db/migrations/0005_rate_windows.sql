CREATE TABLE `rate_windows` (
	`action` text NOT NULL,
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`window_ms` integer NOT NULL,
	`max_count` integer NOT NULL,
	`count` integer NOT NULL,
	`reset_at` integer NOT NULL,
	PRIMARY KEY(`action`, `scope`, `key`, `window_ms`)
);
--> statement-breakpoint
CREATE INDEX `rate_windows_reset_at` ON `rate_windows` (`reset_at`);