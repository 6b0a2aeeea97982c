using System.Diagnostics;
using PgHa.Core.Monitoring;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// Every metric the alerts and the dashboard use exists: Debian's postgres_exporter with our query file against the
/// loopback cluster's primary, and Patroni's own /metrics. A renamed metric breaks the build, not the pager.
/// </summary>
public sealed class MetricsTests(ShippedClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ShippedClusterFixture>
{
    private const string MonitorUser = "pgha_monitor";

    private static IReadOnlySet<string> UsedMetrics()
    {
        var settings = LoopbackSettings.Load();
        return AlertRules.Build(settings.Cluster, settings.Patroni).Select(r => r.Expression)
            .Concat(GrafanaDashboard.Panels(settings.Cluster).Select(p => p.Expression))
            .SelectMany(AlertRules.MetricsIn)
            .ToHashSet();
    }

    [Fact]
    public async Task Exporter_with_our_queries_exposes_every_pgha_metric_the_rules_and_dashboard_use()
    {
        var leader = await fixture.Cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var directory = HarnessRun.Current.CreateDirectory("exporter-", forPostgres: false);
        var queries = Path.Combine(directory, "queries.yaml");
        await File.WriteAllTextAsync(queries, ExporterQueries.ToYaml());
        var port = FreePorts.Take(1)[0];
        var info = new ProcessStartInfo("prometheus-postgres-exporter")
        {
            UseShellExecute = false,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        info.ArgumentList.Add($"--extend.query-path={queries}");
        // As the pods' exporter connects: the monitoring role, a member of pg_monitor and nothing more (the bootstrap Job's grants).
        var monitorPassword = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await leader.ExecuteAsync($"""
            DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{MonitorUser}') THEN CREATE ROLE {MonitorUser} LOGIN; END IF; END $$;
            ALTER ROLE {MonitorUser} WITH LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD '{monitorPassword}';
            ALTER ROLE {MonitorUser} SET default_transaction_read_only = on;
            GRANT pg_monitor TO {MonitorUser};
            """);
        info.Environment["DATA_SOURCE_NAME"] =
            $"postgresql://{MonitorUser}:{monitorPassword}@127.0.0.1:{leader.PostgresPort}/postgres?sslmode=require";
        // Marked like every process of the harness: a later run stops it if this one is killed before its finally.
        HarnessRun.Current.Marker.ApplyTo(info);
        using var exporter = Process.Start(info)!;
        var stderr = exporter.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var metrics = await Wait.UntilAsync("postgres_exporter to serve our query metrics", TimeSpan.FromSeconds(30), async () =>
            {
                var text = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
                return text.Contains("pgha_role_in_recovery", StringComparison.Ordinal) ? text : throw new NotYetException("no pgha_ metrics yet");
            }, output.WriteLine);

            var exposed = metrics.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet();
            var missing = ExporterQueries.MetricNames.Concat(UsedMetrics().Where(m => m.StartsWith("pgha_", StringComparison.Ordinal)))
                .Distinct().Where(m => !exposed.Contains(m)).ToArray();
            Assert.True(missing.Length == 0, "postgres_exporter does not expose: " + string.Join(", ", missing));
            // Every built-in collector worked under pg_monitor (a privilege it lacked would show as 0 here).
            var collectors = metrics.Split('\n').Where(l => l.StartsWith("pg_scrape_collector_success{", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(collectors);
            Assert.All(collectors, l => Assert.EndsWith(" 1", l, StringComparison.Ordinal));
            Assert.Contains("pg_up 1", metrics, StringComparison.Ordinal);
            // The primary reports both replicas streaming and both slots active.
            Assert.Equal(2, metrics.Split('\n').Count(l => l.StartsWith("pgha_replication_streaming{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal)));
            Assert.Equal(2, metrics.Split('\n').Count(l => l.StartsWith("pgha_slots_active{", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal)));
        }
        finally
        {
            exporter.Kill(entireProcessTree: true);
            await exporter.WaitForExitAsync();
            output.WriteLine(await stderr);
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Patroni_exposes_every_patroni_metric_the_rules_and_dashboard_use()
    {
        var (status, body) = await fixture.Cluster.Members[0].GetAsync("/metrics");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        var exposed = body.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split('{', ' ')[0]).ToHashSet();
        var missing = UsedMetrics().Where(m => m.StartsWith("patroni_", StringComparison.Ordinal) && !exposed.Contains(m)).ToArray();
        Assert.True(missing.Length == 0, "Patroni /metrics lacks: " + string.Join(", ", missing));
        Assert.Contains("patroni_primary", UsedMetrics());
    }
}
