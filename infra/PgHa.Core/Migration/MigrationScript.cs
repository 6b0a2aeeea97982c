namespace PgHa.Core.Migration;

/// <summary>
/// Moves the data of the old single-instance PostgreSQL into the cluster, once, and proves it: pg_dump -Fc from the
/// source, pg_restore with parallel jobs into the target (objects owned by the app role), then per-table row counts,
/// large objects and the extension list compared, failing loudly on any difference. A completed migration leaves a
/// report in the target (schema pgha_migration), which makes every later run a no-op; a target that already holds
/// data is refused unless FORCE=true. MODE=verify only compares source and target again (before a cut-over).
/// </summary>
public static class MigrationScript
{
    /// <summary>Variables the script reads. SOURCE_* and TARGET_* are libpq connection settings; passwords come from Secrets.</summary>
    public static readonly IReadOnlyList<string> Variables =
    [
        "SOURCE_HOST", "SOURCE_PORT", "SOURCE_DATABASE", "SOURCE_USER", "SOURCE_PASSWORD", "SOURCE_SSLMODE",
        "TARGET_HOST", "TARGET_PORT", "TARGET_DATABASE", "TARGET_USER", "TARGET_PASSWORD", "TARGET_SSLMODE", "TARGET_OWNER",
        "REPORT_READER",
        "MODE", "FORCE", "JOBS", "WORK_DIR", "WAIT_SECONDS",
    ];

    // One line per user table: "schema.table<TAB>rows", then large objects and extensions, sorted.
    private const string InventorySql = """
        SELECT format('SELECT %L || E''\t'' || count(*) FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname)
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgha_migration')
           AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
        \gexec
        SELECT 'large objects' || E'\t' || count(*) FROM pg_largeobject_metadata;
        SELECT 'extension ' || extname || E'\t' || 'installed' FROM pg_extension;
        """;

    private const string UserObjectsSql = """
        SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pgha_migration')
           AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
        """;

    // FORCE=true: the target ends up exactly like the source, so whatever it held goes first.
    private const string ForceEmptySql = """
        DO $$
        DECLARE s text;
        BEGIN
          FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\_%' LOOP
            EXECUTE format('DROP SCHEMA %I CASCADE', s);
          END LOOP;
          PERFORM lo_unlink(oid) FROM pg_largeobject_metadata;
          CREATE SCHEMA public AUTHORIZATION pg_database_owner;
        END $$;
        """;

    /// <summary>
    /// Refuses a target whose PostgreSQL major is older than the source's (arguments: source major, target major):
    /// pg_dump output of a newer major is not guaranteed to restore into an older server. A shell function of its own
    /// so a test can run it with majors this machine does not have.
    /// </summary>
    public const string MajorCheckFunction = """
        check_majors() {
          if (( $2 < $1 )); then
            echo "REFUSED: the target runs PostgreSQL $2, older than the source's PostgreSQL $1; a dump of a newer major may not restore into an older one. Nothing was changed. Set pgha:postgresVersion to $1 or higher." >&2
            exit 1
          fi
          echo "source PostgreSQL $1, target PostgreSQL $2"
        }
        """;

    public static string Bash() => $$"""
        set -euo pipefail
        MODE="${MODE:-migrate}"; FORCE="${FORCE:-false}"; JOBS="${JOBS:-2}"
        WORK_DIR="${WORK_DIR:-/tmp/pgha-migration}"; WAIT_SECONDS="${WAIT_SECONDS:-300}"
        started=$SECONDS
        src() { PGHOST="$SOURCE_HOST" PGPORT="$SOURCE_PORT" PGUSER="$SOURCE_USER" PGPASSWORD="$SOURCE_PASSWORD" PGDATABASE="$SOURCE_DATABASE" PGSSLMODE="${SOURCE_SSLMODE:-prefer}" "$@"; }
        tgt() { PGHOST="$TARGET_HOST" PGPORT="$TARGET_PORT" PGUSER="$TARGET_USER" PGPASSWORD="$TARGET_PASSWORD" PGDATABASE="$TARGET_DATABASE" PGSSLMODE="${TARGET_SSLMODE:-require}" "$@"; }
        wait_for() {
          local deadline=$((SECONDS + WAIT_SECONDS))
          until "$2" pg_isready -q; do
            if (( SECONDS >= deadline )); then echo "gave up after ${WAIT_SECONDS}s: the $1 database never accepted connections" >&2; exit 1; fi
            echo "waiting for the $1 database to accept connections ($((SECONDS - started))s of ${WAIT_SECONDS}s)"; sleep 3
          done
        }
        inventory() { "$1" psql -XAtq -v ON_ERROR_STOP=1 -f - <<'SQL' | LC_ALL=C sort
        {{InventorySql}}
        SQL
        }
        compare() {
          inventory src > "$WORK_DIR/source.inventory"
          inventory tgt > "$WORK_DIR/target.inventory"
          if ! diff -q "$WORK_DIR/source.inventory" "$WORK_DIR/target.inventory" >/dev/null; then
            echo "MIGRATION CHECK FAILED: source $SOURCE_DATABASE and target $TARGET_DATABASE differ:" >&2
            LC_ALL=C join -t $'\t' -a 1 -a 2 -e missing -o 0,1.2,2.2 "$WORK_DIR/source.inventory" "$WORK_DIR/target.inventory" \
              | awk -F'\t' '$2 != $3 { printf "  - %s: source %s, target %s\n", ($1 ~ / /) ? $1 : "row count of " $1, $2, $3 }' >&2
            exit 1
          fi
          echo "source and target match: $(grep -vc -e '^extension ' -e '^large objects' "$WORK_DIR/source.inventory") tables, same row counts, large objects and extensions"
        }

        major() { "$1" psql -XAtq -v ON_ERROR_STOP=1 -c "SELECT current_setting('server_version_num')::int / 10000"; }
        {{MajorCheckFunction}}

        mkdir -p "$WORK_DIR"
        wait_for source src
        wait_for target tgt
        check_majors "$(major src)" "$(major tgt)"
        if [ "$MODE" = verify ]; then compare; exit 0; fi

        if [ "$(tgt psql -XAtq -v ON_ERROR_STOP=1 -c "SELECT to_regclass('pgha_migration.report') IS NOT NULL")" = t ]; then
          done_at=$(tgt psql -XAtq -v ON_ERROR_STOP=1 -c "SELECT finished_at::text || ' (' || tables || ' tables, ' || rows || ' rows)' FROM pgha_migration.report ORDER BY finished_at DESC LIMIT 1")
          echo "already migrated at $done_at: nothing to do"
          exit 0
        fi

        existing=$(tgt psql -XAtq -v ON_ERROR_STOP=1 -c "{{UserObjectsSql.ReplaceLineEndings(" ")}}")
        if [ "$existing" != 0 ]; then
          if [ "$FORCE" != true ]; then
            echo "REFUSED: target database $TARGET_DATABASE already holds $existing tables, views or sequences; nothing was changed. To replace them with the source's, set pgha:migrationForce to true." >&2
            exit 1
          fi
          echo "target holds $existing objects; FORCE=true: emptying it (every user schema, large object and extension) first"
          tgt psql -XAtq -v ON_ERROR_STOP=1 -f - <<'SQL'
        {{ForceEmptySql}}
        SQL
        fi

        echo "dumping $SOURCE_DATABASE from $SOURCE_HOST:$SOURCE_PORT"
        src pg_dump -Fc --no-publications --no-subscriptions -f "$WORK_DIR/source.dump"
        echo "restoring into $TARGET_DATABASE with $JOBS parallel jobs ($((SECONDS - started))s elapsed)"
        tgt pg_restore -d "$TARGET_DATABASE" -j "$JOBS" --exit-on-error --no-owner --no-privileges --role="$TARGET_OWNER" "$WORK_DIR/source.dump"
        compare

        tables=$(grep -vc -e '^extension ' -e '^large objects' "$WORK_DIR/source.inventory" || true)
        rows=$(grep -v -e '^extension ' -e '^large objects' "$WORK_DIR/source.inventory" | awk -F'\t' '{ s += $2 } END { print s + 0 }')
        duration=$((SECONDS - started))
        tgt psql -XAtq -v ON_ERROR_STOP=1 \
          -c "CREATE SCHEMA IF NOT EXISTS pgha_migration" \
          -c "CREATE TABLE IF NOT EXISTS pgha_migration.report (finished_at timestamptz NOT NULL DEFAULT now(), source text NOT NULL, tables int NOT NULL, rows bigint NOT NULL, duration_seconds int NOT NULL)" \
          -c "INSERT INTO pgha_migration.report (source, tables, rows, duration_seconds) VALUES ('$SOURCE_HOST:$SOURCE_PORT/$SOURCE_DATABASE', $tables, $rows, $duration)"
        if [ -n "${REPORT_READER:-}" ]; then
          # The post-deploy check reads the report as the monitoring role: that one table, nothing else of the database.
          tgt psql -XAtq -v ON_ERROR_STOP=1 -v reader="$REPORT_READER" -f - <<'SQL'
        GRANT USAGE ON SCHEMA pgha_migration TO :"reader";
        GRANT SELECT ON pgha_migration.report TO :"reader";
        SQL
        fi
        echo "{\"tables\": $tables, \"rows\": $rows, \"durationSeconds\": $duration}"
        """;
}
