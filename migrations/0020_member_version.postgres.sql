-- The dashboard's version (migration 19) becomes the version of everything a
-- member's own pages are drawn from, so that the member home, the journal
-- list and the check-in pages can be kept between requests as the dashboard
-- is. Besides check-ins, results and moments of return, it now changes with
-- every write to journal entries, drafts, repair plans and the get-started
-- answers; and with each change to the coach's journal prompts that the
-- journal list shows to everyone, for every member at once. As before, it is
-- the write's time in microseconds (or one more than before), in the writing
-- transaction, whatever wrote. The table keeps the name it was given when it
-- served the dashboard alone, so that an instance of the previous release,
-- running beside this one during an upgrade, still finds it.
-- (PostgreSQL.)
DROP TRIGGER dashboard_version_on_checkins ON checkins;
DROP TRIGGER dashboard_version_on_results ON instrument_results;
DROP TRIGGER dashboard_version_on_returns ON moments_of_return;
DROP TRIGGER dashboard_version_new_member ON users;
DROP FUNCTION dashboard_version_raise();
DROP FUNCTION dashboard_version_new_member();

CREATE FUNCTION member_version_new_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_versions (user_id, version) VALUES (NEW.id, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT);
    RETURN NULL;
END
$$;

CREATE TRIGGER member_version_new_member AFTER INSERT ON users
FOR EACH ROW EXECUTE FUNCTION member_version_new_member();

CREATE FUNCTION member_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    now_us BIGINT := (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE dashboard_versions SET version = GREATEST(version + 1, now_us) WHERE user_id = NEW.user_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        UPDATE dashboard_versions SET version = GREATEST(version + 1, now_us) WHERE user_id = OLD.user_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
        UPDATE dashboard_versions SET version = GREATEST(version + 1, now_us) WHERE user_id = OLD.user_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER member_version_on_checkins AFTER INSERT OR UPDATE OR DELETE ON checkins
FOR EACH ROW EXECUTE FUNCTION member_version_raise();
CREATE TRIGGER member_version_on_instrument_results AFTER INSERT OR UPDATE OR DELETE ON instrument_results
FOR EACH ROW EXECUTE FUNCTION member_version_raise();
CREATE TRIGGER member_version_on_moments_of_return AFTER INSERT OR UPDATE OR DELETE ON moments_of_return
FOR EACH ROW EXECUTE FUNCTION member_version_raise();
CREATE TRIGGER member_version_on_journal_entries AFTER INSERT OR UPDATE OR DELETE ON journal_entries
FOR EACH ROW EXECUTE FUNCTION member_version_raise();
CREATE TRIGGER member_version_on_journal_drafts AFTER INSERT OR UPDATE OR DELETE ON journal_drafts
FOR EACH ROW EXECUTE FUNCTION member_version_raise();
CREATE TRIGGER member_version_on_repair_plans AFTER INSERT OR UPDATE OR DELETE ON repair_plans
FOR EACH ROW EXECUTE FUNCTION member_version_raise();
CREATE TRIGGER member_version_on_start_answers AFTER INSERT OR UPDATE OR DELETE ON start_answers
FOR EACH ROW EXECUTE FUNCTION member_version_raise();

-- The coach's prompts show in every member's journal list: a prompt added or
-- removed, or its words or retirement changed, raises every member's version.
-- Nothing else about a prompt does (deleting an account clears `created_by`
-- on the prompts it wrote, which no list shows).
CREATE FUNCTION member_version_raise_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE dashboard_versions SET version = GREATEST(version + 1, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT);
    RETURN NULL;
END
$$;

CREATE TRIGGER member_version_on_journal_prompts AFTER INSERT OR DELETE ON journal_prompts
FOR EACH ROW EXECUTE FUNCTION member_version_raise_all();
CREATE TRIGGER member_version_on_journal_prompt_words AFTER UPDATE OF text, retired_at ON journal_prompts
FOR EACH ROW WHEN (OLD.text IS DISTINCT FROM NEW.text OR OLD.retired_at IS DISTINCT FROM NEW.retired_at)
EXECUTE FUNCTION member_version_raise_all();
