namespace OpenCdn.Catalog;

/// <summary>The catalog's tables, in SQL that SQLite and PostgreSQL both accept. Times are Unix milliseconds.</summary>
internal static class Schema
{
    public const string Sql = """
        CREATE TABLE IF NOT EXISTS titles (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            progress INTEGER NOT NULL DEFAULT 0,
            failure_reason TEXT,
            package_version INTEGER NOT NULL DEFAULT 0,
            master_key TEXT,
            master_size BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS titles_updated ON titles (updated_at);
        CREATE TABLE IF NOT EXISTS uploads (
            id TEXT PRIMARY KEY,
            title_id TEXT NOT NULL,
            length BIGINT NOT NULL,
            file_name TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS uploads_expiry ON uploads (expires_at);
        CREATE TABLE IF NOT EXISTS bootstrap_tokens (
            token_hash TEXT PRIMARY KEY,
            uses_left INTEGER NOT NULL,
            expires_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS edges (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            credential_hash TEXT NOT NULL,
            registration TEXT NOT NULL,
            draining INTEGER NOT NULL DEFAULT 0,
            heartbeat TEXT,
            last_heartbeat BIGINT,
            registered_at BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS edges_last_heartbeat ON edges (last_heartbeat);
        CREATE INDEX IF NOT EXISTS edges_registered ON edges (registered_at);
        CREATE INDEX IF NOT EXISTS edges_draining ON edges (id) WHERE draining = 1;
        CREATE TABLE IF NOT EXISTS revoked_edges (
            id TEXT PRIMARY KEY,
            revoked_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS edge_enrolments (
            edge_id TEXT PRIMARY KEY,
            bootstrap_hash TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS upload_multiparts (
            upload_id TEXT PRIMARY KEY,
            object_key TEXT NOT NULL,
            multipart_id TEXT NOT NULL,
            part_size BIGINT NOT NULL,
            committed_offset BIGINT NOT NULL DEFAULT 0,
            part_numbers_used INTEGER NOT NULL DEFAULT 0,
            tail_key TEXT,
            tail_length BIGINT NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS upload_multipart_parts (
            upload_id TEXT NOT NULL,
            part_number INTEGER NOT NULL,
            etag TEXT NOT NULL,
            size BIGINT NOT NULL,
            PRIMARY KEY (upload_id, part_number));
        CREATE TABLE IF NOT EXISTS steering_outcomes (
            outcome TEXT PRIMARY KEY,
            decisions BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS qoe_totals (
            scope TEXT NOT NULL,
            name TEXT NOT NULL,
            beacons BIGINT NOT NULL,
            plays BIGINT NOT NULL,
            startup_ms_sum DOUBLE PRECISION NOT NULL,
            stalls BIGINT NOT NULL,
            stall_ms_sum DOUBLE PRECISION NOT NULL,
            bitrate_switches BIGINT NOT NULL,
            throughput_samples BIGINT NOT NULL,
            throughput_kbps_sum DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (scope, name));
        CREATE TABLE IF NOT EXISTS qoe_buckets (
            scope TEXT NOT NULL,
            name TEXT NOT NULL,
            measure TEXT NOT NULL,
            bucket INTEGER NOT NULL,
            samples BIGINT NOT NULL,
            PRIMARY KEY (scope, name, measure, bucket));
        CREATE TABLE IF NOT EXISTS secrets (
            name TEXT NOT NULL,
            version BIGINT NOT NULL,
            sealed TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (name, version));
        CREATE TABLE IF NOT EXISTS leases (
            name TEXT PRIMARY KEY,
            holder TEXT NOT NULL,
            expires_at BIGINT NOT NULL);
        CREATE TABLE IF NOT EXISTS popularity (
            region TEXT NOT NULL,
            title_id TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL,
            scored_at BIGINT NOT NULL,
            PRIMARY KEY (region, title_id));
        CREATE INDEX IF NOT EXISTS popularity_scored ON popularity (scored_at);
        CREATE TABLE IF NOT EXISTS fill_cuts (
            cut_key TEXT PRIMARY KEY,
            version BIGINT NOT NULL,
            generated_at BIGINT NOT NULL,
            packages TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS fill_cuts_version ON fill_cuts (version);
        CREATE TABLE IF NOT EXISTS fill_plan_edges (
            edge_id TEXT PRIMARY KEY,
            cut_key TEXT NOT NULL,
            rev BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS fill_plan_edges_rev ON fill_plan_edges (rev);
        CREATE TABLE IF NOT EXISTS chunk_sets (
            title_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            master_key TEXT NOT NULL,
            parts INTEGER NOT NULL,
            queued INTEGER NOT NULL DEFAULT 0,
            assembler TEXT,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (title_id, version));
        CREATE TABLE IF NOT EXISTS chunk_parts (
            title_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            part TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (title_id, version, part));
        """;
}
