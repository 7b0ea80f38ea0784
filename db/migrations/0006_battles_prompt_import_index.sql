CREATE INDEX `battles_prompt` ON `battles` (`prompt_id`);--> statement-breakpoint
CREATE INDEX `battles_import` ON `battles` (`import_id`) WHERE "battles"."import_id" is not null;