/// The store's schema, as an ordered list of migrations.
///
/// `PRAGMA user_version` records how many migrations a database has had; opening a database runs
/// the ones it lacks, each in its own transaction, so an older store is upgraded in place and a
/// newer one is refused rather than misread. Never edit a migration that has shipped: add one.
public enum Schema {
    public struct Migration: Sendable {
        public let version: Int
        public let summary: String
        public let sql: String
    }

    public static var currentVersion: Int { migrations.last!.version }

    public static let migrations: [Migration] = [
        Migration(version: 1, summary: "files, message events, SMTP sessions, certificates, quarantine", sql: """
            CREATE TABLE tenants (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                tenant_guid TEXT,
                initial_domain TEXT
            );
            CREATE TABLE origins (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                kind TEXT NOT NULL
            );
            CREATE TABLE files (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL,
                fingerprint INTEGER NOT NULL,
                fingerprint_length INTEGER NOT NULL,
                size INTEGER NOT NULL,
                is_gzip INTEGER NOT NULL DEFAULT 0,
                format TEXT,
                encoding TEXT,
                checkpoint_offset INTEGER NOT NULL DEFAULT 0,
                checkpoint_line INTEGER NOT NULL DEFAULT 0,
                window_hash INTEGER,
                status TEXT NOT NULL DEFAULT 'reading',
                damage TEXT,
                notes TEXT,
                events INTEGER NOT NULL DEFAULT 0,
                sessions INTEGER NOT NULL DEFAULT 0,
                quarantined INTEGER NOT NULL DEFAULT 0,
                tenant_id INTEGER REFERENCES tenants(id),
                origin_id INTEGER REFERENCES origins(id),
                first_ingested_at TEXT NOT NULL,
                last_ingested_at TEXT NOT NULL
            );
            CREATE INDEX files_fingerprint ON files(fingerprint);

            CREATE TABLE message_events (
                id INTEGER PRIMARY KEY,
                event_key INTEGER NOT NULL,
                file_id INTEGER NOT NULL REFERENCES files(id),
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                source_kind TEXT NOT NULL,
                tenant_id INTEGER REFERENCES tenants(id),
                origin_id INTEGER REFERENCES origins(id),
                time_ms INTEGER NOT NULL,
                time_text TEXT,
                event TEXT,
                source TEXT,
                message_id TEXT,
                network_message_id TEXT,
                internal_message_id TEXT,
                trace_id TEXT,
                sender TEXT,
                sender_domain TEXT,
                from_address TEXT,
                recipient TEXT,
                recipient_domain TEXT,
                recipient_status TEXT,
                smtp_code INTEGER,
                enhanced_code TEXT,
                client_ip TEXT,
                client_hostname TEXT,
                server_ip TEXT,
                server_hostname TEXT,
                original_client_ip TEXT,
                connector TEXT,
                session_id TEXT,
                directionality TEXT,
                subject TEXT,
                tenant_hint TEXT,
                size INTEGER,
                details TEXT
            );
            CREATE UNIQUE INDEX message_events_key ON message_events(event_key);
            -- The secondary indexes are created by Schema.ensureEventIndexes, from the one list
            -- Schema.eventIndexes, right after the migrations: same indexes, one place.

            CREATE TABLE certificates (
                id INTEGER PRIMARY KEY,
                certificate_key INTEGER NOT NULL UNIQUE,
                thumbprint TEXT,
                subject TEXT,
                subject_cn TEXT,
                issuer TEXT,
                serial_number TEXT,
                not_before TEXT,
                not_after TEXT,
                alternate_names TEXT
            );
            CREATE INDEX certificates_thumbprint ON certificates(thumbprint);

            CREATE TABLE smtp_sessions (
                id INTEGER PRIMARY KEY,
                session_key INTEGER NOT NULL UNIQUE,
                file_id INTEGER NOT NULL REFERENCES files(id),
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                origin_id INTEGER REFERENCES origins(id),
                direction TEXT NOT NULL,
                connector TEXT NOT NULL,
                session_id TEXT NOT NULL,
                local_endpoint TEXT,
                remote_endpoint TEXT,
                remote_ip TEXT,
                start_ms INTEGER NOT NULL,
                end_ms INTEGER NOT NULL,
                start_text TEXT,
                helo TEXT,
                banner TEXT,
                tls_protocol TEXT,
                tls_status TEXT,
                end_reason TEXT,
                is_incomplete INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX smtp_sessions_session_id ON smtp_sessions(session_id);
            CREATE INDEX smtp_sessions_remote_ip ON smtp_sessions(remote_ip, start_ms);

            CREATE TABLE session_certificates (
                session_id INTEGER NOT NULL REFERENCES smtp_sessions(id),
                certificate_id INTEGER NOT NULL REFERENCES certificates(id),
                role TEXT NOT NULL,
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                PRIMARY KEY (session_id, certificate_id, role)
            ) WITHOUT ROWID;
            CREATE INDEX session_certificates_certificate ON session_certificates(certificate_id);

            CREATE TABLE smtp_transactions (
                id INTEGER PRIMARY KEY,
                session_id INTEGER NOT NULL REFERENCES smtp_sessions(id),
                ordinal INTEGER NOT NULL,
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                time_ms INTEGER NOT NULL,
                mail_from TEXT,
                mail_from_domain TEXT,
                xoorg TEXT,
                mail_from_code INTEGER,
                mail_from_reply TEXT,
                message_id TEXT,
                data_code INTEGER,
                data_enhanced_code TEXT,
                data_reply TEXT,
                UNIQUE (session_id, ordinal)
            );
            CREATE INDEX smtp_transactions_message_id ON smtp_transactions(message_id);
            CREATE INDEX smtp_transactions_mail_from_domain ON smtp_transactions(mail_from_domain);

            CREATE TABLE smtp_recipients (
                id INTEGER PRIMARY KEY,
                transaction_id INTEGER NOT NULL REFERENCES smtp_transactions(id),
                ordinal INTEGER NOT NULL,
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                address TEXT NOT NULL,
                domain TEXT,
                reply_code INTEGER,
                enhanced_code TEXT,
                reply TEXT,
                UNIQUE (transaction_id, ordinal)
            );
            CREATE INDEX smtp_recipients_domain ON smtp_recipients(domain);
            CREATE INDEX smtp_recipients_enhanced_code ON smtp_recipients(enhanced_code);

            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                file_id INTEGER NOT NULL REFERENCES files(id),
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                reason TEXT NOT NULL,
                detail TEXT NOT NULL,
                text TEXT NOT NULL,
                UNIQUE (file_id, byte_offset)
            );

            -- Tracking-log events joined to the protocol-log session that carried them:
            -- RECEIVE by the session id in source-context, SEND by the Message-ID sent.
            CREATE VIEW event_sessions AS
                SELECT e.id AS event_id, s.id AS smtp_session_id, 'session-id' AS joined_by
                FROM message_events e JOIN smtp_sessions s ON s.session_id = e.session_id
                WHERE e.session_id IS NOT NULL
                UNION ALL
                SELECT e.id, t.session_id, 'message-id'
                FROM message_events e JOIN smtp_transactions t ON t.message_id = e.message_id
                JOIN smtp_sessions s ON s.id = t.session_id AND s.direction = 'send'
                WHERE e.event IN ('SEND', 'SENDEXTERNAL');
            """),
        Migration(version: 2, summary: "dated configuration snapshots per tenant and server", sql: """
            CREATE TABLE config_snapshots (
                id INTEGER PRIMARY KEY,
                snapshot_key INTEGER NOT NULL UNIQUE,
                file_id INTEGER NOT NULL REFERENCES files(id),
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                tenant_id INTEGER REFERENCES tenants(id),
                origin_id INTEGER REFERENCES origins(id),
                tenant_name TEXT,
                kind TEXT NOT NULL,
                side TEXT NOT NULL,
                taken_at_ms INTEGER
            );
            CREATE TABLE accepted_domains (
                snapshot_id INTEGER NOT NULL REFERENCES config_snapshots(id),
                domain TEXT NOT NULL,
                domain_type TEXT,
                is_default INTEGER NOT NULL,
                is_initial INTEGER NOT NULL,
                match_subdomains INTEGER NOT NULL
            );
            CREATE INDEX accepted_domains_domain ON accepted_domains(domain);
            CREATE TABLE inbound_connectors (
                snapshot_id INTEGER NOT NULL REFERENCES config_snapshots(id),
                name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                connector_type TEXT NOT NULL,
                sender_ip_addresses TEXT,
                sender_domains TEXT,
                tls_sender_certificate_name TEXT,
                restrict_domains_to_certificate INTEGER NOT NULL,
                restrict_domains_to_ip_addresses INTEGER NOT NULL,
                require_tls INTEGER NOT NULL,
                cloud_services_mail_enabled INTEGER NOT NULL,
                associated_accepted_domains TEXT,
                connector_source TEXT,
                comment TEXT,
                when_created_ms INTEGER,
                when_changed_ms INTEGER
            );
            CREATE TABLE outbound_connectors (
                snapshot_id INTEGER NOT NULL REFERENCES config_snapshots(id),
                name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                connector_type TEXT,
                smart_hosts TEXT,
                recipient_domains TEXT,
                tls_domain TEXT,
                tls_settings TEXT,
                use_mx_record INTEGER NOT NULL,
                route_all_via_on_premises INTEGER NOT NULL,
                when_changed_ms INTEGER
            );
            CREATE TABLE send_connectors (
                snapshot_id INTEGER NOT NULL REFERENCES config_snapshots(id),
                name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                address_spaces TEXT,
                smart_hosts TEXT,
                tls_certificate_name TEXT,
                tls_certificate_issuer TEXT,
                tls_certificate_subject TEXT,
                tls_certificate_cn TEXT,
                fqdn TEXT,
                cloud_services_mail_enabled INTEGER NOT NULL,
                require_tls INTEGER NOT NULL,
                tls_auth_level TEXT,
                tls_domain TEXT,
                source_transport_servers TEXT,
                when_changed_ms INTEGER
            );
            CREATE TABLE receive_connectors (
                snapshot_id INTEGER NOT NULL REFERENCES config_snapshots(id),
                name TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                bindings TEXT,
                remote_ip_ranges TEXT,
                auth_mechanism TEXT,
                permission_groups TEXT,
                tls_certificate_name TEXT,
                fqdn TEXT,
                transport_role TEXT
            );
            CREATE TABLE exchange_certificates (
                snapshot_id INTEGER NOT NULL REFERENCES config_snapshots(id),
                thumbprint TEXT NOT NULL,
                subject TEXT,
                issuer TEXT,
                domains TEXT,
                not_before TEXT,
                not_after TEXT,
                services TEXT
            );
            """),
        Migration(version: 3, summary: "derived attribution verdicts and findings, rebuilt by detect", sql: """
            CREATE TABLE verdicts (
                id INTEGER PRIMARY KEY,
                message_id TEXT,
                time_ms INTEGER NOT NULL,
                path TEXT NOT NULL,
                origin TEXT,
                connector TEXT,
                mail_from TEXT,
                certificate TEXT,
                sending_ip TEXT,
                owner_tenant TEXT,
                observed_tenant TEXT,
                predicted_tenant TEXT,
                decided_by TEXT NOT NULL,
                outcome TEXT NOT NULL,
                finding_id TEXT,
                reason TEXT NOT NULL,
                steps TEXT NOT NULL
            );
            CREATE INDEX verdicts_message_id ON verdicts(message_id);
            CREATE TABLE findings (
                id TEXT PRIMARY KEY,
                pattern TEXT NOT NULL,
                severity TEXT NOT NULL,
                title TEXT NOT NULL,
                summary TEXT NOT NULL,
                certificate TEXT,
                ip TEXT,
                domain TEXT,
                path TEXT,
                first_seen TEXT,
                last_seen TEXT,
                message_count INTEGER NOT NULL,
                explained_by TEXT,
                json TEXT NOT NULL
            );
            CREATE TABLE finding_messages (
                finding_id TEXT NOT NULL REFERENCES findings(id),
                message_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                owner_tenant TEXT,
                observed_tenant TEXT,
                decided_by TEXT NOT NULL,
                time TEXT NOT NULL
            );
            CREATE INDEX finding_messages_message_id ON finding_messages(message_id);
            CREATE TABLE finding_evidence (
                finding_id TEXT NOT NULL REFERENCES findings(id),
                file TEXT NOT NULL,
                line INTEGER NOT NULL,
                byte_offset INTEGER NOT NULL,
                what TEXT NOT NULL
            );
            -- The per-message verdicts, for SQL users: one row per delivery attempt.
            CREATE VIEW message_verdicts AS
                SELECT message_id, datetime(time_ms / 1000, 'unixepoch') AS time_utc, path, owner_tenant, observed_tenant, predicted_tenant,
                    decided_by, outcome, finding_id, reason
                FROM verdicts;
            """),
        Migration(version: 4, summary: "one verdict per message, from any side; per-recipient outcomes; finding onsets", sql: """
            DROP VIEW IF EXISTS message_verdicts;
            DROP TABLE IF EXISTS verdicts;
            CREATE TABLE verdicts (
                id INTEGER PRIMARY KEY,
                message_id TEXT NOT NULL,
                time_ms INTEGER NOT NULL,
                last_time_ms INTEGER NOT NULL,
                path TEXT NOT NULL,
                origin TEXT,
                connector TEXT,
                mail_from TEXT,
                from_address TEXT,
                subject TEXT,
                recipients TEXT,
                sending_ip TEXT,
                certificate TEXT,
                owner_tenant TEXT,
                owner_reason TEXT,
                observed_tenant TEXT,
                predicted_tenant TEXT,
                decided_by TEXT NOT NULL,
                outcome TEXT NOT NULL,
                final_reply TEXT,
                deferrals INTEGER NOT NULL DEFAULT 0,
                sides TEXT NOT NULL,
                finding_id TEXT,
                reason TEXT NOT NULL,
                steps TEXT NOT NULL
            );
            CREATE INDEX verdicts_message_id ON verdicts(message_id);
            CREATE TABLE verdict_recipients (
                message_id TEXT NOT NULL,
                recipient TEXT NOT NULL,
                delivered INTEGER NOT NULL,
                final_state TEXT NOT NULL,
                final_reply TEXT,
                attribution_deferrals INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX verdict_recipients_message_id ON verdict_recipients(message_id);
            ALTER TABLE findings ADD COLUMN onset TEXT;
            -- The per-message verdicts, for SQL users: one row per message, whatever side saw it.
            CREATE VIEW message_verdicts AS
                SELECT message_id, datetime(time_ms / 1000, 'unixepoch') AS time_utc, path, mail_from, from_address, subject, recipients,
                    owner_tenant, owner_reason, observed_tenant, predicted_tenant, decided_by, outcome, final_reply, deferrals, sides,
                    finding_id, reason
                FROM verdicts;
            """),
        Migration(version: 5, summary: "file identity by size, head, tail and content hash; field variants of merged events", sql: """
            -- A file is the same file only if its size, its first and last KiB and, on doubt, its whole
            -- content agree: two exports sharing a long prefix are two files.
            ALTER TABLE files ADD COLUMN tail_hash INTEGER;
            ALTER TABLE files ADD COLUMN content_hash INTEGER;
            -- When a row is the same event as a stored one (same content key) but another source gives
            -- a field another value, the stored row keeps its value and the other one is kept here.
            CREATE TABLE event_variants (
                event_id INTEGER NOT NULL REFERENCES message_events(id),
                file_id INTEGER NOT NULL REFERENCES files(id),
                line INTEGER NOT NULL,
                field TEXT NOT NULL,
                stored_value TEXT,
                value TEXT,
                UNIQUE (event_id, file_id, line, field)
            );
            CREATE INDEX event_variants_event_id ON event_variants(event_id);
            """),
        Migration(version: 6, summary: "mark the file as a mailflow store (application_id), so another program's database is never mistaken for one", sql: """
            PRAGMA application_id = \(StoreIdentity.applicationId);
            """),
        Migration(version: 7, summary: "how each file's tenant or source was assigned; convenience views for 'mailflow query'", sql: """
            -- data (the file or an export beside it names the tenant), flag (--tenant/--source), folder (a folder in its path).
            ALTER TABLE files ADD COLUMN assigned_by TEXT;
            CREATE VIEW messages AS
                SELECT e.message_id, datetime(min(e.time_ms) / 1000, 'unixepoch') AS first_seen_utc,
                    datetime(max(e.time_ms) / 1000, 'unixepoch') AS last_seen_utc, max(e.sender) AS sender, max(e.subject) AS subject,
                    count(DISTINCT lower(e.recipient)) AS recipients, count(*) AS events, group_concat(DISTINCT e.source_kind) AS sources,
                    v.outcome, v.final_reply, v.owner_tenant, v.observed_tenant, v.finding_id
                FROM message_events e LEFT JOIN verdicts v ON v.message_id = e.message_id
                WHERE e.message_id IS NOT NULL GROUP BY e.message_id;
            CREATE VIEW recipient_events AS
                SELECT e.message_id, datetime(e.time_ms / 1000, 'unixepoch') AS time_utc, e.source_kind, t.name AS tenant, o.name AS origin,
                    e.event, e.sender, e.recipient, e.recipient_status, e.smtp_code, e.enhanced_code, e.client_ip, e.server_hostname,
                    e.connector, e.session_id, e.network_message_id, e.trace_id, e.subject, f.path AS file, e.line
                FROM message_events e JOIN files f ON f.id = e.file_id
                LEFT JOIN tenants t ON t.id = e.tenant_id LEFT JOIN origins o ON o.id = e.origin_id;
            CREATE VIEW sessions AS
                SELECT s.session_id, o.name AS origin, s.direction, s.connector, s.remote_ip, s.remote_endpoint,
                    datetime(s.start_ms / 1000, 'unixepoch') AS start_utc, datetime(s.end_ms / 1000, 'unixepoch') AS end_utc,
                    s.helo, s.tls_protocol, s.tls_status, s.end_reason,
                    (SELECT count(*) FROM smtp_transactions tr WHERE tr.session_id = s.id) AS transactions, f.path AS file, s.line
                FROM smtp_sessions s JOIN files f ON f.id = s.file_id LEFT JOIN origins o ON o.id = s.origin_id;
            CREATE VIEW tls_certificates AS
                SELECT c.thumbprint, c.subject_cn, c.subject, c.issuer, c.not_before, c.not_after, c.alternate_names, sc.role,
                    count(*) AS sessions, min(s.remote_ip) AS first_remote_ip
                FROM certificates c JOIN session_certificates sc ON sc.certificate_id = c.id JOIN smtp_sessions s ON s.id = sc.session_id
                GROUP BY c.id, sc.role;
            CREATE VIEW connectors AS
                SELECT t.name AS tenant, ic.name, ic.enabled, ic.connector_type, ic.sender_ip_addresses, ic.sender_domains,
                    ic.tls_sender_certificate_name, ic.restrict_domains_to_certificate, ic.restrict_domains_to_ip_addresses,
                    ic.associated_accepted_domains, datetime(cs.taken_at_ms / 1000, 'unixepoch') AS snapshot_utc, f.path AS file
                FROM inbound_connectors ic JOIN config_snapshots cs ON cs.id = ic.snapshot_id JOIN files f ON f.id = cs.file_id
                LEFT JOIN tenants t ON t.id = cs.tenant_id;
            CREATE VIEW finding_summary AS
                SELECT id, severity, pattern, message_count, path, first_seen, last_seen, onset, title
                FROM findings;
            """),
    ]

    /// The secondary indexes of `message_events`. A large ingest into a small table drops them and
    /// builds them once at the end (sorting beats a million random B-tree inserts); opening the
    /// store recreates any that a crash left missing.
    public static let eventIndexes: [(name: String, columns: String)] = [
        ("message_events_message_id", "message_id"),
        // trace by a Message-ID typed in another case (or not found at all) would otherwise scan every event.
        ("message_events_message_id_nocase", "message_id COLLATE NOCASE"),
        ("message_events_network_message_id", "network_message_id"),
        ("message_events_internal_message_id", "internal_message_id"),
        ("message_events_trace_id", "trace_id"),
        ("message_events_session_id", "session_id"),
        ("message_events_sender_domain", "sender_domain, time_ms"),
        ("message_events_recipient_domain", "recipient_domain, time_ms"),
        ("message_events_client_ip", "client_ip, time_ms"),
        ("message_events_time", "time_ms"),
    ]

    public static func dropEventIndexes(_ database: Database) throws {
        try database.execute(eventIndexes.map { "DROP INDEX IF EXISTS \($0.name);" }.joined())
    }

    public static func ensureEventIndexes(_ database: Database) throws {
        try database.execute(eventIndexes.map { "CREATE INDEX IF NOT EXISTS \($0.name) ON message_events(\($0.columns));" }.joined())
    }

    /// Brings `database` to the current schema version.
    ///
    /// - Throws: ``StoreError`` when the database is newer than this build knows.
    public static func migrate(_ database: Database) throws {
        let version = Int(try database.scalar("PRAGMA user_version") ?? 0)
        if version > currentVersion {
            throw StoreError(code: 0, message: "the database has schema version \(version), newer than this mailflow (\(currentVersion)); upgrade mailflow", path: database.path)
        }
        for migration in migrations where migration.version > version {
            try database.transaction {
                try database.execute(migration.sql)
                try database.execute("PRAGMA user_version = \(migration.version)")
            }
        }
    }
}
