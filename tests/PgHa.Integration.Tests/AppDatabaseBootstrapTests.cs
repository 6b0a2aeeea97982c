using System.Diagnostics;
using Npgsql;
using PgHa.Core.Bootstrap;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>The app-database Job's script, run for real with psql against the leader.</summary>
public sealed class AppDatabaseBootstrapTests(ShippedClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ShippedClusterFixture>
{
    private const string AppPassword = "App-Pa55word-that-must-not-be-logged";
    private const string MonitoringPassword = "Monitoring-Pa55word-that-must-not-be-logged";

    private async Task<string> RunScriptAsync(PatroniMember leader, string password)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(AppDatabaseBootstrap.Script(60));
        var connection = new NpgsqlConnectionStringBuilder(leader.ConnectionString());
        info.Environment["PGHOST"] = "127.0.0.1";
        info.Environment["PGPORT"] = leader.PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.Environment["PGUSER"] = connection.Username;
        info.Environment["PGPASSWORD"] = connection.Password;
        info.Environment["PGSSLMODE"] = "require";
        info.Environment["PGTARGETSESSIONATTRS"] = "read-write";
        info.Environment[AppDatabaseBootstrap.AppUserVariable] = "agentic_pm";
        info.Environment[AppDatabaseBootstrap.AppPasswordVariable] = password;
        info.Environment[AppDatabaseBootstrap.DatabaseVariable] = "agentic_pm_db";
        info.Environment[AppDatabaseBootstrap.MonitoringUserVariable] = "pgha_monitor";
        info.Environment[AppDatabaseBootstrap.MonitoringPasswordVariable] = MonitoringPassword;
        info.Environment["PATH"] = $"{PatroniCluster.FindBinDirectory()}:/usr/bin:/bin";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(cts.Token);
        var text = await stdout + await stderr;
        output.WriteLine(text);
        Assert.True(process.ExitCode == 0, $"script exited {process.ExitCode}: {text}");
        return text;
    }

    private static async Task<long> ConnectAsAppAsync(PatroniMember leader, string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(leader.ConnectionString("agentic_pm_db")) { Username = "agentic_pm", Password = password };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE TABLE IF NOT EXISTS owned (id int); SELECT count(*) FROM owned", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Creates_the_app_role_and_database_idempotently_without_logging_the_password()
    {
        var leader = await fixture.Cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        await leader.ExecuteAsync("ALTER SYSTEM SET log_statement = 'all'");
        await leader.ExecuteAsync("SELECT pg_reload_conf()");
        try
        {
            var first = await RunScriptAsync(leader, AppPassword);
            Assert.Contains("role agentic_pm and database agentic_pm_db are in place", first, StringComparison.Ordinal);
            Assert.Equal(0L, await ConnectAsAppAsync(leader, AppPassword));
            Assert.Equal("agentic_pm", await leader.ScalarAsync<string>(
                "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = 'agentic_pm_db'"));
            Assert.False(await leader.ScalarAsync<bool>("SELECT rolsuper OR rolcreaterole OR rolreplication FROM pg_roles WHERE rolname = 'agentic_pm'"));
            Assert.StartsWith("SCRAM-SHA-256$", await leader.ScalarAsync<string>("SELECT rolpassword FROM pg_authid WHERE rolname = 'agentic_pm'"), StringComparison.Ordinal);

            // A second run converges (a rotated password takes effect) and creates nothing twice.
            await RunScriptAsync(leader, AppPassword + "-rotated");
            Assert.Equal(0L, await ConnectAsAppAsync(leader, AppPassword + "-rotated"));
            Assert.Equal(1L, await leader.ScalarAsync<long>("SELECT count(*) FROM pg_database WHERE datname = 'agentic_pm_db'"));
        }
        finally
        {
            await leader.ExecuteAsync("ALTER SYSTEM RESET log_statement");
            await leader.ExecuteAsync("SELECT pg_reload_conf()");
        }

        var serverLog = await File.ReadAllTextAsync(leader.PostgresLogPath);
        // Statement logging was on (the script's own first statement is logged), yet the password is not.
        Assert.Contains("statement: SET log_statement = 'none'", serverLog, StringComparison.Ordinal);
        Assert.DoesNotContain(AppPassword, serverLog, StringComparison.Ordinal);
        Assert.DoesNotContain(MonitoringPassword, serverLog, StringComparison.Ordinal);
    }
}
