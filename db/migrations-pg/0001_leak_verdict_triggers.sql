-- The PostgreSQL form of db/migrations/0003_leak_verdict_triggers.sql (see there for why).
INSERT INTO "counters" ("name", "value") VALUES ('models', 0) ON CONFLICT ("name") DO NOTHING;--> statement-breakpoint
CREATE FUNCTION "arena_models_version"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "counters" SET "value" = "value" + 1 WHERE "name" = 'models';
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "models_version" AFTER INSERT OR UPDATE OR DELETE ON "models"
FOR EACH ROW EXECUTE FUNCTION "arena_models_version"();--> statement-breakpoint
-- A text changed by a write that did not decide its verdict anew: the stored verdict no longer
-- holds. BEFORE UPDATE, where SQLite needs AFTER UPDATE and a second write: the row is fixed as
-- it is written.
CREATE FUNCTION "arena_stale_leak_verdict"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."leak_list" IS NOT DISTINCT FROM OLD."leak_list" THEN
    NEW."leak_list" := NULL;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "responses_text_update" BEFORE UPDATE OF "text" ON "responses"
FOR EACH ROW EXECUTE FUNCTION "arena_stale_leak_verdict"();--> statement-breakpoint
CREATE TRIGGER "prompts_text_update" BEFORE UPDATE OF "text", "turns" ON "prompts"
FOR EACH ROW EXECUTE FUNCTION "arena_stale_leak_verdict"();
