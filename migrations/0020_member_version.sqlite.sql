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
-- (SQLite.)
DROP TRIGGER dashboard_version_checkin_insert;
DROP TRIGGER dashboard_version_checkin_update;
DROP TRIGGER dashboard_version_checkin_delete;
DROP TRIGGER dashboard_version_result_insert;
DROP TRIGGER dashboard_version_result_update;
DROP TRIGGER dashboard_version_result_delete;
DROP TRIGGER dashboard_version_return_insert;
DROP TRIGGER dashboard_version_return_update;
DROP TRIGGER dashboard_version_return_delete;
DROP TRIGGER dashboard_version_new_member;

CREATE TRIGGER member_version_new_member AFTER INSERT ON users BEGIN
    INSERT INTO dashboard_versions (user_id, version) VALUES (NEW.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
END;
CREATE TRIGGER member_version_checkin_insert AFTER INSERT ON checkins BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_checkin_update AFTER UPDATE ON checkins BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_checkin_delete AFTER DELETE ON checkins BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER member_version_result_insert AFTER INSERT ON instrument_results BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_result_update AFTER UPDATE ON instrument_results BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_result_delete AFTER DELETE ON instrument_results BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER member_version_return_insert AFTER INSERT ON moments_of_return BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_return_update AFTER UPDATE ON moments_of_return BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_return_delete AFTER DELETE ON moments_of_return BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER member_version_entry_insert AFTER INSERT ON journal_entries BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_entry_update AFTER UPDATE ON journal_entries BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_entry_delete AFTER DELETE ON journal_entries BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER member_version_draft_insert AFTER INSERT ON journal_drafts BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_draft_update AFTER UPDATE ON journal_drafts BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_draft_delete AFTER DELETE ON journal_drafts BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER member_version_plan_insert AFTER INSERT ON repair_plans BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_plan_update AFTER UPDATE ON repair_plans BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_plan_delete AFTER DELETE ON repair_plans BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER member_version_start_insert AFTER INSERT ON start_answers BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER member_version_start_update AFTER UPDATE ON start_answers BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER member_version_start_delete AFTER DELETE ON start_answers BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
-- A prompt added or removed, or its words or retirement changed (nothing
-- else about it shows), raises every member's version.
CREATE TRIGGER member_version_prompt_insert AFTER INSERT ON journal_prompts BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
END;
CREATE TRIGGER member_version_prompt_update AFTER UPDATE OF text, retired_at ON journal_prompts
WHEN OLD.text IS NOT NEW.text OR OLD.retired_at IS NOT NEW.retired_at BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
END;
CREATE TRIGGER member_version_prompt_delete AFTER DELETE ON journal_prompts BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
END;
