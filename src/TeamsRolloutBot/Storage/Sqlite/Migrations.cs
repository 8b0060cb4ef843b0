namespace TeamsRolloutBot.Storage.Sqlite;

/// <summary>The SQLite schema, in order. Append new migrations; never edit one that has shipped.</summary>
public static class Migrations
{
    public static readonly IReadOnlyList<Migration> All =
    [
        new(1, "conversations and inbound dedupe", """
            CREATE TABLE conversations (
                conversation_id TEXT NOT NULL PRIMARY KEY,
                channel_id TEXT NOT NULL,
                service_url TEXT NOT NULL,
                conversation_type TEXT,
                tenant_id TEXT,
                bot_id TEXT,
                user_id TEXT,
                user_aad_object_id TEXT,
                team_id TEXT,
                team_aad_group_id TEXT,
                team_channel_id TEXT,
                locale TEXT,
                installed INTEGER NOT NULL DEFAULT 1,
                welcomed_at TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ix_conversations_user ON conversations (user_aad_object_id);
            CREATE INDEX ix_conversations_team ON conversations (team_id);
            CREATE TABLE inbound_activities (
                channel_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                received_at TEXT NOT NULL,
                PRIMARY KEY (channel_id, conversation_id, activity_id)
            );
            CREATE INDEX ix_inbound_received ON inbound_activities (received_at);
            """),
        new(2, "delivery: planned sends, outbox, progress cards", """
            CREATE TABLE planned_sends (
                send_key TEXT NOT NULL PRIMARY KEY,
                wave_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                department_id TEXT NOT NULL,
                audience TEXT NOT NULL,
                due_at INTEGER NOT NULL,
                template TEXT NOT NULL,
                phase TEXT NOT NULL,
                subject TEXT,
                state TEXT NOT NULL,
                job_count INTEGER NOT NULL DEFAULT 0,
                detail TEXT,
                reported_at INTEGER,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX ix_planned_sends_state_due ON planned_sends (state, due_at);
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                job_key TEXT NOT NULL UNIQUE,
                send_key TEXT NOT NULL,
                wave_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                department_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                language TEXT,
                state TEXT NOT NULL,
                due_at INTEGER NOT NULL,
                lease_owner TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                install_requested INTEGER NOT NULL DEFAULT 0,
                outcome TEXT,
                detail TEXT,
                status_code INTEGER,
                conversation_id TEXT,
                activity_id TEXT,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX ix_outbox_state_due ON outbox (state, due_at);
            CREATE INDEX ix_outbox_target ON outbox (target);
            CREATE INDEX ix_outbox_wave ON outbox (wave_id, message_id, state);
            CREATE TABLE progress_cards (
                wave_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                lead_id TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                service_url TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                final INTEGER NOT NULL DEFAULT 0,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (wave_id, message_id, lead_id)
            );
            CREATE TABLE delivery_settings (
                key TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        // Issue 7 (lead commands) numbers its migrations from 70, so parallel features can append without colliding.
        new(70, "lead commands: audit log, confirmations, wave control", """
            CREATE TABLE command_audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                at TEXT NOT NULL,
                user_aad_object_id TEXT,
                user_name TEXT,
                conversation_type TEXT,
                command TEXT NOT NULL,
                result TEXT NOT NULL,
                detail TEXT
            );
            CREATE INDEX ix_command_audit_at ON command_audit (at);
            CREATE TABLE command_confirmations (
                id TEXT NOT NULL PRIMARY KEY,
                command TEXT NOT NULL,
                recipients INTEGER,
                requested_by TEXT NOT NULL,
                requested_by_name TEXT,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'pending',
                decided_by TEXT,
                decided_by_name TEXT,
                decided_at TEXT,
                result TEXT
            );
            CREATE TABLE wave_control (
                wave_id TEXT NOT NULL PRIMARY KEY,
                state TEXT NOT NULL,
                start_date TEXT,
                updated_at TEXT NOT NULL,
                updated_by TEXT
            );
            """),
        new(71, "lead commands: messages sent now, outside the schedule", """
            CREATE TABLE command_sends (
                request_id TEXT NOT NULL PRIMARY KEY,
                wave_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                department_ids TEXT NOT NULL,
                requested_by TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        // Issue 10 (scale out): conditional writes of wave states, and the plan versions instances load.
        new(72, "lead commands: wave state versions; plan versions loaded", """
            ALTER TABLE wave_control ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
            CREATE TABLE plan_versions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                hash TEXT NOT NULL,
                instance TEXT NOT NULL,
                loaded_at TEXT NOT NULL,
                plan_name TEXT,
                wave_count INTEGER NOT NULL
            );
            CREATE INDEX ix_plan_versions_instance ON plan_versions (instance, id);
            """),
        new(80, "feedback: survey answers, history, SharePoint sync queue, survey card messages, reminders and summaries", """
            CREATE TABLE feedback_answers (
                survey_id TEXT NOT NULL,
                user_aad_object_id TEXT NOT NULL,
                user_id TEXT,
                user_name TEXT,
                locale TEXT,
                wave_id TEXT,
                department_id TEXT,
                message_id TEXT,
                answer_json TEXT NOT NULL,
                version INTEGER NOT NULL,
                first_submitted_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (survey_id, user_aad_object_id)
            );
            CREATE INDEX ix_feedback_answers_scope ON feedback_answers (wave_id, department_id);
            CREATE TABLE feedback_answer_history (
                survey_id TEXT NOT NULL,
                user_aad_object_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                answer_json TEXT NOT NULL,
                submitted_at TEXT NOT NULL,
                PRIMARY KEY (survey_id, user_aad_object_id, version)
            );
            CREATE TABLE feedback_sync (
                survey_id TEXT NOT NULL,
                user_aad_object_id TEXT NOT NULL,
                correlation_id TEXT NOT NULL UNIQUE,
                item_id TEXT,
                post_started INTEGER NOT NULL DEFAULT 0,
                synced_version INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (survey_id, user_aad_object_id)
            );
            CREATE INDEX ix_feedback_sync_due ON feedback_sync (next_attempt_at);
            CREATE TABLE feedback_card_messages (
                conversation_id TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                service_url TEXT NOT NULL,
                conversation_type TEXT NOT NULL,
                survey_id TEXT NOT NULL,
                wave_id TEXT,
                department_id TEXT,
                message_id TEXT,
                language TEXT NOT NULL,
                user_id TEXT,
                refresh_pending INTEGER NOT NULL DEFAULT 1,
                generation INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (conversation_id, activity_id)
            );
            CREATE TABLE feedback_notices (
                kind TEXT NOT NULL,
                scope TEXT NOT NULL,
                target TEXT NOT NULL,
                state TEXT NOT NULL,
                detail TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (kind, scope, target)
            );
            """),
        // Issue 12 (thread replies as feedback) numbers its migrations from 90.
        new(90, "feedback: tracked channel thread roots and their replies", """
            CREATE TABLE thread_roots (
                root_message_id TEXT NOT NULL PRIMARY KEY,
                channel_id TEXT NOT NULL,
                team_id TEXT,
                team_aad_group_id TEXT,
                wave_id TEXT NOT NULL,
                department_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                posted_at TEXT NOT NULL,
                last_polled_at TEXT,
                next_poll_at TEXT,
                poll_attempts INTEGER NOT NULL DEFAULT 0,
                poll_error TEXT
            );
            CREATE TABLE thread_replies (
                reply_id TEXT NOT NULL PRIMARY KEY,
                root_message_id TEXT NOT NULL,
                user_aad_object_id TEXT,
                user_name TEXT,
                wave_id TEXT NOT NULL,
                department_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                text TEXT NOT NULL,
                version INTEGER NOT NULL DEFAULT 1,
                created_at TEXT NOT NULL,
                modified_at TEXT NOT NULL,
                deleted_at TEXT,
                source TEXT NOT NULL,
                synced_version INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ix_thread_replies_scope ON thread_replies (wave_id, department_id);
            CREATE TABLE thread_reply_history (
                reply_id TEXT NOT NULL,
                version INTEGER NOT NULL,
                text TEXT NOT NULL,
                modified_at TEXT NOT NULL,
                PRIMARY KEY (reply_id, version)
            );
            """),
        // Thread replies join the SharePoint copy. Same shape as feedback_sync, keyed by the reply; generation counts the
        // changes (added, edited, deleted) and synced_generation the last one in the list. Replies stored before this
        // version are queued, and the list items of survey answers are written once more so they get FeedbackKind.
        new(91, "feedback: SharePoint copy queue for thread replies; survey items re-sent for the FeedbackKind column", """
            CREATE TABLE thread_reply_sync (
                reply_id TEXT NOT NULL PRIMARY KEY,
                correlation_id TEXT NOT NULL UNIQUE,
                item_id TEXT,
                post_started INTEGER NOT NULL DEFAULT 0,
                generation INTEGER NOT NULL DEFAULT 1,
                synced_generation INTEGER NOT NULL DEFAULT 0,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE INDEX ix_thread_reply_sync_due ON thread_reply_sync (next_attempt_at);
            INSERT INTO thread_reply_sync (reply_id, correlation_id, next_attempt_at, updated_at)
                SELECT reply_id, 'thread-reply:' || reply_id, updated_at, updated_at FROM thread_replies WHERE deleted_at IS NULL;
            UPDATE feedback_sync SET synced_version = 0 WHERE item_id IS NOT NULL;
            """),
            // Issue 18 (editing a running plan): the message content a send's first recipient got, so its fan-out stays one content.
        new(100, "delivery: the content a planned send started with", """
            ALTER TABLE planned_sends ADD COLUMN content TEXT;
            """),
        // Issue 18.2 (corrections after sending): every card put in Teams, where it is and its fingerprint, and the notices
        // of messages changed after sending (told once; the lead's decision kept).
        new(101, "delivery: sent cards with their fingerprints and corrections; notices of messages changed after sending", """
            CREATE TABLE sent_cards (
                job_key TEXT NOT NULL PRIMARY KEY,
                send_key TEXT NOT NULL,
                wave_id TEXT NOT NULL,
                message_id TEXT NOT NULL,
                department_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                language TEXT,
                service_url TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                activity_id TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                sent_at TEXT NOT NULL,
                state TEXT NOT NULL,
                detail TEXT,
                corrected_at TEXT
            );
            CREATE INDEX ix_sent_cards_message ON sent_cards (message_id COLLATE NOCASE);
            CREATE TABLE correction_notices (
                notice_key TEXT NOT NULL PRIMARY KEY,
                message_id TEXT NOT NULL,
                created_at TEXT NOT NULL,
                decision TEXT,
                decided_by TEXT,
                decided_at TEXT
            );
            """),
        // Issue 18 (several instances run one plan): the valid plan texts, numbered; the newest runs after a restart
        // whose plan file is invalid. The version is the primary key, so two writers never both become version N.
        new(102, "plan: published valid plan versions (text, hash, when, by which instance)", """
            CREATE TABLE published_plans (
                version INTEGER NOT NULL PRIMARY KEY,
                hash TEXT NOT NULL,
                content TEXT NOT NULL,
                published_at TEXT NOT NULL,
                instance TEXT NOT NULL,
                plan_name TEXT
            );
            CREATE INDEX ix_published_plans_hash ON published_plans (hash, version);
            """),
        // Issue 18.7 (approval when a plan asks for it): one row per wave whose first send waits for a lead's approval.
        new(104, "lead commands: approvals of a wave's first send", """
            CREATE TABLE wave_approvals (
                wave_id TEXT NOT NULL PRIMARY KEY,
                fingerprint TEXT NOT NULL,
                state TEXT NOT NULL,
                cards_sent_at TEXT,
                cards TEXT,
                decided_by TEXT,
                decided_by_name TEXT,
                decided_at TEXT,
                reminded_at TEXT,
                reminders INTEGER NOT NULL DEFAULT 0,
                version INTEGER NOT NULL
            );
            """),
            // Issue 21 (a reply that cannot be sent never holds the request): replies owed, retried from here.
        new(120, "conversations: replies that failed inside the inbound request, retried durably", """
            CREATE TABLE reply_outbox (
                id TEXT NOT NULL PRIMARY KEY,
                service_url TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                reply_to_id TEXT,
                activity TEXT NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0,
                due_at TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_error TEXT
            );
            CREATE INDEX ix_reply_outbox_due ON reply_outbox (due_at);
            """),
];
}
