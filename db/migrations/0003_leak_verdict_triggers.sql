-- Stored identity-leak verdicts (lib/arena/leak-verdicts.ts) must notice what makes them stale.
-- The identity-leak word list holds every model's slug, display name and organization, and
-- matchmaking draws only visible models. Any change to the models, from any code path or process,
-- bumps the `models` counter, so what each process derives from them (the word list, the visible
-- set) is rebuilt exactly when it may have changed.
INSERT INTO `counters` (`name`, `value`) VALUES ('models', 0) ON CONFLICT (`name`) DO NOTHING;--> statement-breakpoint
CREATE TRIGGER `models_version_insert` AFTER INSERT ON `models` BEGIN
  UPDATE `counters` SET `value` = `value` + 1 WHERE `name` = 'models';
END;--> statement-breakpoint
CREATE TRIGGER `models_version_update` AFTER UPDATE ON `models` BEGIN
  UPDATE `counters` SET `value` = `value` + 1 WHERE `name` = 'models';
END;--> statement-breakpoint
CREATE TRIGGER `models_version_delete` AFTER DELETE ON `models` BEGIN
  UPDATE `counters` SET `value` = `value` + 1 WHERE `name` = 'models';
END;
--> statement-breakpoint
-- A prompt's or response's text changed by any means other than a write that decided its verdict
-- anew (an admin's edit, a script, SQL by hand): its stored verdict no longer holds.
CREATE TRIGGER `responses_text_update` AFTER UPDATE OF `text` ON `responses`
WHEN new.`leak_list` IS old.`leak_list` BEGIN
  UPDATE `responses` SET `leak_list` = NULL WHERE `id` = new.`id`;
END;--> statement-breakpoint
CREATE TRIGGER `prompts_text_update` AFTER UPDATE OF `text`, `turns` ON `prompts`
WHEN new.`leak_list` IS old.`leak_list` BEGIN
  UPDATE `prompts` SET `leak_list` = NULL WHERE `id` = new.`id`;
END;
