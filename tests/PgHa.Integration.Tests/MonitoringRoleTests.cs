using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Npgsql.Replication;
using PgHa.Core.Bootstrap;
using PgHa.Core.Monitoring;
using PgHa.Core.Tls;
using PgHa.Core.Verification;
using PgHa.Operations.Postgres;
using PgHa.Operations.Verification;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// The monitoring role as the bootstrap Job's SQL makes it, on a real PostgreSQL serving TLS with statement logging on:
/// it reads replication state (with a replica streaming from a slot) through the exporter's queries and the verifier's
/// probe, and it can neither write nor read the app's tables.
/// </summary>
public sealed class MonitoringRoleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string MonitorUser = "pgha_monitor";
    private const string MonitorPassword = "Monitor-Pa55word-that-must-not-be-logged";
    private const string AppUser = "orders_app";
    private const string AppPassword = "App-Pa55word-that-must-not-be-logged";
    private const string Database = "orders";
    private const string TlsName = "orders-0.orders-headless.team-db.svc.cluster.local";

    private LoopbackPostgres _server = null!;
    private string _ca = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackPostgres.StartAsync(output.WriteLine);
        var issued = ClusterCertificateIssuer.Issue(ClusterTls.CommonName("team-db", "orders"), [TlsName], CertificateLifetime.Default, DateTimeOffset.UtcNow);
        _ca = issued.CaCertificatePem;
        await _server.InstallCertificateAsync(issued);
        // Every statement is logged unless a session turns it off: the bootstrap must.
        await _server.ExecuteAsync("ALTER SYSTEM SET log_statement = 'all'");
        await _server.ExecuteAsync("SELECT pg_reload_conf()");
        await Wait.UntilTrueAsync("PostgreSQL to serve TLS and log every statement after the reload", TimeSpan.FromSeconds(60),
            async () => await _server.ScalarAsync<string>("SHOW ssl") == "on" && await _server.ScalarAsync<string>("SHOW log_statement") == "all",
            output.WriteLine);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Monitoring_role_reads_replication_state_and_cannot_write_or_read_app_tables()
    {
        await RunBootstrapAsync(MonitorPassword);
        await using (var app = await OpenAsync(AppUser, AppPassword, Database))
        {
            await ExecuteAsync(app, "CREATE TABLE customers (id int PRIMARY KEY, card text); INSERT INTO customers VALUES (1, '4111-1111')");
        }

        await _server.ExecuteAsync("SELECT pg_create_physical_replication_slot('orders_1')");
        using var stop = new CancellationTokenSource();
        var replica = StreamFromSlotAsync("orders-1", "orders_1", stop.Token);
        try
        {
            await Wait.UntilTrueAsync("the replica orders-1 to stream from slot orders_1 (as the superuser sees it)", TimeSpan.FromSeconds(60),
                async () => replica.IsFaulted
                    ? throw new FatalWaitException($"the replication connection failed: {replica.Exception}")
                    : await _server.ScalarAsync<long>("SELECT count(*) FROM pg_stat_replication WHERE application_name = 'orders-1' AND state = 'streaming'") == 1,
                output.WriteLine);

            await using var monitor = await OpenAsync(MonitorUser, MonitorPassword);
            // Replication state in full (a role without pg_read_all_stats sees only the walsender's pid, every other column null).
            Assert.Equal("streaming", await ScalarAsync<string>(monitor, "SELECT state FROM pg_stat_replication WHERE application_name = 'orders-1'"));
            Assert.True(await ScalarAsync<bool>(monitor, "SELECT sent_lsn IS NOT NULL FROM pg_stat_replication WHERE application_name = 'orders-1'"));
            Assert.True(await ScalarAsync<bool>(monitor, "SELECT active FROM pg_replication_slots WHERE slot_name = 'orders_1'"));
            Assert.Equal(0L, await ScalarAsync<long>(monitor, "SELECT count(*) FROM pg_stat_wal_receiver"));
            Assert.True(await ScalarAsync<bool>(monitor, "SELECT current_setting('max_slot_wal_keep_size') IS NOT NULL"));

            // Every exporter query runs; the replication one reports the replica streaming.
            foreach (var (name, sql) in ExporterQueries.Sql)
            {
                await using var command = new NpgsqlCommand(sql, monitor);
                await using var reader = await command.ExecuteReaderAsync();
                var rows = 0;
                while (await reader.ReadAsync())
                {
                    rows++;
                    if (name == "pgha_replication")
                    {
                        Assert.Equal("orders-1", reader.GetString(0));
                        Assert.Equal(1, reader.GetInt32(1));
                    }
                }

                output.WriteLine($"{name}: {rows} row(s)");
                Assert.True(rows > 0, $"{name} returned no rows for the monitoring role");
            }

            // The verifier's probe (what the post-deploy check and pgha status run), as the monitoring role, over verified TLS.
            var observation = await VerifierFactory.Probe(new VerifierCredentials(MonitorUser, MonitorPassword, _ca))
                .ObserveAsync(new MemberEndpoint("orders-0", "127.0.0.1", _server.Port, TlsName), CancellationToken.None);
            Assert.Null(observation.Error);
            Assert.False(observation.InRecovery);
            Assert.Contains(observation.Replication, r => r.ApplicationName == "orders-1" && r.State == "streaming");
            Assert.Contains(observation.Slots, s => s.Name == "orders_1" && s.Active);

            // No write and no app data: not in its own database, not in the app's, even with read-only transactions turned off.
            await ExecuteAsync(monitor, "SET default_transaction_read_only = off");
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(monitor, "CREATE TABLE monitor_owned (id int)")).SqlState);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(monitor, "CREATE ROLE intruder")).SqlState);
            await using var monitorInApp = await OpenAsync(MonitorUser, MonitorPassword, Database);
            Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, (await Refused(monitorInApp, "INSERT INTO customers VALUES (2, 'x')")).SqlState);
            await ExecuteAsync(monitorInApp, "SET default_transaction_read_only = off");
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(monitorInApp, "SELECT card FROM customers")).SqlState);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(monitorInApp, "INSERT INTO customers VALUES (2, 'x')")).SqlState);
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(monitorInApp, "CREATE TABLE public.monitor_owned (id int)")).SqlState);
            Assert.False(await _server.ScalarAsync<bool>(
                $"SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls FROM pg_roles WHERE rolname = '{MonitorUser}'"));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(replica, Task.Delay(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Bootstrap_is_idempotent_converges_the_password_and_keeps_it_out_of_the_server_log()
    {
        await RunBootstrapAsync(MonitorPassword);
        const string rotated = MonitorPassword + "-rotated";
        await RunBootstrapAsync(rotated);

        Assert.Equal(1L, await _server.ScalarAsync<long>($"SELECT count(*) FROM pg_roles WHERE rolname = '{MonitorUser}'"));
        Assert.True(await _server.ScalarAsync<bool>($"SELECT pg_has_role('{MonitorUser}', 'pg_monitor', 'USAGE')"));
        Assert.StartsWith("SCRAM-SHA-256$", await _server.ScalarAsync<string>($"SELECT rolpassword FROM pg_authid WHERE rolname = '{MonitorUser}'"),
            StringComparison.Ordinal);
        await using (var connection = await OpenAsync(MonitorUser, rotated))
        {
            Assert.Equal(MonitorUser, await ScalarAsync<string>(connection, "SELECT current_user::text"));
        }

        var old = await Assert.ThrowsAsync<PostgresException>(async () => await OpenAsync(MonitorUser, MonitorPassword));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, old.SqlState);

        var serverLog = await File.ReadAllTextAsync(Path.Combine(_server.Directory, "postgres.log"));
        Assert.Contains("statement: SET log_statement = 'none'", serverLog, StringComparison.Ordinal);
        Assert.DoesNotContain(MonitorPassword, serverLog, StringComparison.Ordinal);
        Assert.DoesNotContain(AppPassword, serverLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Monitoring_role_reads_the_migration_report_once_granted_and_nothing_else_of_its_schema()
    {
        await RunBootstrapAsync(MonitorPassword);
        // A migration that completed before the monitoring role existed: its report carries no grant yet.
        await _server.ExecuteAsync("""
            CREATE SCHEMA pgha_migration;
            CREATE TABLE pgha_migration.report (finished_at timestamptz NOT NULL DEFAULT now(), source text NOT NULL, tables int NOT NULL,
                rows bigint NOT NULL, duration_seconds int NOT NULL);
            INSERT INTO pgha_migration.report (source, tables, rows, duration_seconds) VALUES ('old-db:5432/orders', 3, 42, 7);
            CREATE TABLE pgha_migration.other (secret text);
            """, Database);
        var member = new MemberEndpoint("orders-0", "127.0.0.1", _server.Port, TlsName);
        var credentials = new VerifierCredentials(MonitorUser, MonitorPassword, _ca);
        var before = await Assert.ThrowsAsync<PostgresException>(() => MigrationReportReader.ReadAsync(member, credentials, Database, CancellationToken.None));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, before.SqlState);

        // The next bootstrap run grants that one table.
        await RunBootstrapAsync(MonitorPassword);
        var report = await MigrationReportReader.ReadAsync(member, credentials, Database, CancellationToken.None);
        Assert.NotNull(report);
        Assert.Equal(42L, report.Rows);
        await using var monitorInApp = await OpenAsync(MonitorUser, MonitorPassword, Database);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await Refused(monitorInApp, "SELECT * FROM pgha_migration.other")).SqlState);
    }

    /// <summary>The Job's script, run with bash and the cluster's psql, with the Job's environment pointed at the loopback server.</summary>
    private async Task RunBootstrapAsync(string monitorPassword)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(AppDatabaseBootstrap.Script(60));
        info.Environment["PGHOST"] = "127.0.0.1";
        info.Environment["PGPORT"] = _server.Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["PGUSER"] = "postgres";
        info.Environment["PGPASSWORD"] = _server.Password;
        info.Environment["PGSSLMODE"] = "require";
        info.Environment["PGTARGETSESSIONATTRS"] = "read-write";
        info.Environment["PGCONNECT_TIMEOUT"] = "10";
        info.Environment[AppDatabaseBootstrap.AppUserVariable] = AppUser;
        info.Environment[AppDatabaseBootstrap.AppPasswordVariable] = AppPassword;
        info.Environment[AppDatabaseBootstrap.DatabaseVariable] = Database;
        info.Environment[AppDatabaseBootstrap.MonitoringUserVariable] = MonitorUser;
        info.Environment[AppDatabaseBootstrap.MonitoringPasswordVariable] = monitorPassword;
        info.Environment["PATH"] = $"{PatroniCluster.FindBinDirectory()}:/usr/bin:/bin";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the bootstrap script did not finish within 120 s");
        }

        var text = await stdout + await stderr;
        output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"the bootstrap script exited {process.ExitCode}: {text}");
        Assert.Contains($"monitoring role {MonitorUser} is in place", text, StringComparison.Ordinal);
    }

    /// <summary>A physical replication connection streaming from <paramref name="slot"/> as <paramref name="name"/>, until cancelled.</summary>
    private Task StreamFromSlotAsync(string name, string slot, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString()) { ApplicationName = name, SslMode = SslMode.Require };
        await using var replication = new PhysicalReplicationConnection(builder.ConnectionString);
        await replication.Open(cancellationToken);
        var system = await replication.IdentifySystem(cancellationToken);
        try
        {
            await foreach (var message in replication.StartReplication(new PhysicalReplicationSlot(slot), system.XLogPos, cancellationToken))
            {
                replication.SetReplicationStatus(message.WalEnd);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }, CancellationToken.None);

    private async Task<NpgsqlConnection> OpenAsync(string user, string password, string database = "postgres")
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString(database)) { Username = user, Password = password, SslMode = SslMode.Require };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static Task<PostgresException> Refused(NpgsqlConnection connection, string sql) =>
        Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
}
