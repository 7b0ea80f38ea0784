ALTER TABLE `prompts` ADD `leak_words` text;--> statement-breakpoint
ALTER TABLE `prompts` ADD `leak_list` text;--> statement-breakpoint
CREATE INDEX `prompts_leak_list` ON `prompts` (`leak_list`);--> statement-breakpoint
ALTER TABLE `responses` ADD `leak_words` text;--> statement-breakpoint
ALTER TABLE `responses` ADD `leak_list` text;--> statement-breakpoint
CREATE INDEX `responses_leak_list` ON `responses` (`leak_list`);