using System.Globalization;
using PgHa.Core.Patroni;

namespace PgHa.Core.Bootstrap;

/// <summary>
/// Creates the application role and database, and the monitoring role, on the primary, idempotently: Patroni 4 no
/// longer creates users, and Spilo creates only its own. Run by a Job through the read-write Service; every re-run
/// converges (a changed password included). The passwords come from the environment (psql \getenv), never from the
/// command line, and statement logging is off for the session so they cannot reach the server log.
/// </summary>
/// <remarks>
/// The Job connects as the superuser, and must: creating roles, handing out pg_monitor and creating a database for
/// another owner need superuser (or CREATEROLE and CREATEDB, which amount to much the same), and the stack has no
/// other role that could. The monitoring role (<see cref="MonitoringUserVariable"/>) gets pg_monitor (read every
/// statistics view and setting: pg_stat_replication, slots, WAL receiver, archiver) and nothing else: no superuser,
/// no CREATEROLE/CREATEDB/REPLICATION/BYPASSRLS, read-only transactions by default, CONNECT on the app database only
/// to read the migration report (granted on that one table where it exists), and no privilege on any app table.
/// </remarks>
public static class AppDatabaseBootstrap
{
    /// <summary>Environment the script reads (besides libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE).</summary>
    public const string AppUserVariable = "APP_USER";
    public const string AppPasswordVariable = "APP_PASSWORD";
    public const string DatabaseVariable = "APP_DATABASE";
    public const string MonitoringUserVariable = "MONITORING_USER";
    public const string MonitoringPasswordVariable = "MONITORING_PASSWORD";

    /// <summary>
    /// Not read by the script: a random identifier of the monitoring role's generated password (not secret, derived from
    /// nothing secret). A new password changes it, so the Job's pod template changes and the Job runs again, setting it.
    /// </summary>
    public const string MonitoringPasswordVersionVariable = "MONITORING_PASSWORD_VERSION";

    public const string Sql = """
        SET log_statement = 'none';
        SET log_min_duration_statement = -1;
        \getenv app_user APP_USER
        \getenv app_password APP_PASSWORD
        \getenv database APP_DATABASE
        SELECT format('CREATE ROLE %I LOGIN', :'app_user')
         WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user') \gexec
        ALTER ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION PASSWORD :'app_password';
        SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'app_user')
         WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'database') \gexec
        ALTER DATABASE :"database" OWNER TO :"app_user";
        REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
        GRANT CONNECT, TEMPORARY ON DATABASE :"database" TO :"app_user";
        \getenv monitoring_user MONITORING_USER
        \getenv monitoring_password MONITORING_PASSWORD
        SELECT format('CREATE ROLE %I LOGIN', :'monitoring_user')
         WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'monitoring_user') \gexec
        ALTER ROLE :"monitoring_user" WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS INHERIT PASSWORD :'monitoring_password';
        ALTER ROLE :"monitoring_user" SET default_transaction_read_only = on;
        GRANT pg_monitor TO :"monitoring_user";
        GRANT CONNECT ON DATABASE :"database" TO :"monitoring_user";
        \connect :"database"
        SELECT format('GRANT USAGE ON SCHEMA pgha_migration TO %I', :'monitoring_user')
         WHERE to_regnamespace('pgha_migration') IS NOT NULL \gexec
        SELECT format('GRANT SELECT ON pgha_migration.report TO %I', :'monitoring_user')
         WHERE to_regclass('pgha_migration.report') IS NOT NULL \gexec
        """;

    /// <summary>
    /// The Job container's environment: libpq connects as the superuser to whichever member accepts writes
    /// through the read-write Service, over TLS; the app and monitoring roles' names and passwords come from their Secrets.
    /// </summary>
    public static IReadOnlyList<PodEnvVar> Environment(string readWriteHost, string database, CredentialSecretNames secrets) =>
    [
        PodEnvVar.Literal("PGHOST", readWriteHost),
        PodEnvVar.Literal("PGPORT", PatroniConfig.PostgresPort.ToString(CultureInfo.InvariantCulture)),
        PodEnvVar.Literal("PGSSLMODE", "require"),
        PodEnvVar.Literal("PGTARGETSESSIONATTRS", "read-write"),
        PodEnvVar.Literal("PGCONNECT_TIMEOUT", "5"),
        PodEnvVar.FromSecret("PGUSER", secrets.Superuser, SpiloEnvironment.UsernameKey),
        PodEnvVar.FromSecret("PGPASSWORD", secrets.Superuser, SpiloEnvironment.PasswordKey),
        PodEnvVar.FromSecret(AppUserVariable, secrets.App, SpiloEnvironment.UsernameKey),
        PodEnvVar.FromSecret(AppPasswordVariable, secrets.App, SpiloEnvironment.PasswordKey),
        PodEnvVar.Literal(DatabaseVariable, database),
        PodEnvVar.FromSecret(MonitoringUserVariable, secrets.Monitoring, SpiloEnvironment.UsernameKey),
        PodEnvVar.FromSecret(MonitoringPasswordVariable, secrets.Monitoring, SpiloEnvironment.PasswordKey),
    ];

    /// <summary>The Job's shell script: wait (bounded, with progress) for the primary, then apply <see cref="Sql"/>.</summary>
    public static string Script(int waitSeconds)
    {
        var limit = waitSeconds.ToString(CultureInfo.InvariantCulture);
        return $$"""
            set -euo pipefail
            deadline=$((SECONDS + {{limit}}))
            until pg_isready -q; do
              if (( SECONDS >= deadline )); then
                echo "gave up after {{limit}}s: the primary at ${PGHOST}:${PGPORT} never accepted connections" >&2
                exit 1
              fi
              echo "waiting for the primary at ${PGHOST}:${PGPORT} to accept connections (${SECONDS}s of {{limit}}s)"
              sleep 3
            done
            psql -X -v ON_ERROR_STOP=1 -d postgres <<'SQL'
            {{Sql}}
            SQL
            echo "role ${APP_USER} and database ${APP_DATABASE} are in place"
            echo "monitoring role ${MONITORING_USER} is in place (pg_monitor)"
            """;
    }
}
