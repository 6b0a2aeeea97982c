using System.Text.Json;
using Moq;
using PgHa.Cli;
using PgHa.Core.Verification;
using PgHa.Testing;

namespace PgHa.Cli.Tests;

/// <summary>Every command against a real 3-member loopback Patroni cluster (pods pg-0..pg-2 of cluster "pg").</summary>
public sealed class LoopbackCommandTests(ITestOutputHelper output)
{
    private static readonly string[] Target = ["--namespace", "loopback", "--cluster", "pg"];

    private async Task<PatroniCluster> StartAsync()
    {
        var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine);
        await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        // The monitoring role status and verify connect as, made while there is a primary (as the bootstrap Job does).
        await LoopbackAccess.MonitoringRoleAsync(cluster);
        return cluster;
    }

    private Task<CliResult> Run(PatroniCluster cluster, string input, params string[] args) => Run(cluster, null, input, args);

    private async Task<CliResult> Run(PatroniCluster cluster, Func<ServiceEndpoints, ServiceEndpoints>? services, string input, params string[] args)
    {
        var result = await CliRun.RunAsync(LoopbackAccess.For(cluster, services), input, [.. args, .. Target]);
        output.WriteLine($"pgha {string.Join(' ', args)} -> {result}");
        return result;
    }

    [Fact]
    public async Task Status_and_verify_connect_as_the_monitoring_role_never_as_the_superuser()
    {
        await using var cluster = await StartAsync();
        var access = LoopbackAccess.Create(cluster);
        access.Setup(a => a.GetSuperuserAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("status and verify must not use the superuser"));
        PgHa.Operations.Access.ClusterAccessFactory open = (_, _) => access.Object;
        await Wait.UntilTrueAsync("status to report the cluster healthy (as the monitoring role)", TimeSpan.FromSeconds(60),
            async () => (await CliRun.RunAsync(open, "", ["status", .. Target])).ExitCode == PghaCli.Ok, output.WriteLine);
        var verify = await CliRun.RunAsync(open, "", ["verify", "--timeout", "30", .. Target]);
        output.WriteLine($"pgha verify -> {verify}");
        Assert.Equal(PghaCli.Ok, verify.ExitCode);
        access.Verify(a => a.GetMonitoringAsync(It.IsAny<CancellationToken>()), Times.AtLeast(2));
        access.Verify(a => a.GetSuperuserAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Status_shows_every_member_its_lag_slot_and_services_and_verify_passes()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replicas = cluster.Members.Where(m => m != leader).Select(m => m.Name).ToArray();
        // Each replica's slot must be active before the status can be healthy.
        await Wait.UntilTrueAsync("every replica streaming with an active slot", TimeSpan.FromSeconds(60),
            async () => (await Run(cluster, "", "status")).ExitCode == PghaCli.Ok, output.WriteLine);

        var table = await Run(cluster, "", "status");
        Assert.Equal(PghaCli.Ok, table.ExitCode);
        var lines = table.Output.Split('\n');
        Assert.StartsWith("MEMBER", lines[1], StringComparison.Ordinal);
        Assert.Matches($@"^{leader.Name}\s+leader\s+running\s+1\s+-\s+-\s+-\s+rw$", lines.Single(l => l.StartsWith(leader.Name, StringComparison.Ordinal)).TrimEnd());
        foreach (var replica in replicas)
        {
            var line = lines.Single(l => l.StartsWith(replica, StringComparison.Ordinal));
            Assert.Matches($@"^{replica}\s+replica\s+\w+\s+1\s+\d+\s+[\d.-]+\s+{replica.Replace('-', '_')} \(active\)\s+ro", line);
        }

        Assert.Contains("healthy", table.Output, StringComparison.Ordinal);

        var json = JsonDocument.Parse((await Run(cluster, "", "status", "--json")).Output).RootElement;
        Assert.True(json.GetProperty("healthy").GetBoolean());
        Assert.Equal(leader.Name, json.GetProperty("primary").GetString());
        Assert.Equal(3, json.GetProperty("members").GetArrayLength());
        Assert.Equal([leader.Name], json.GetProperty("services").GetProperty("readWrite").EnumerateArray().Select(e => e.GetString()));

        var verify = await Run(cluster, "", "verify", "--timeout", "30");
        Assert.Equal(PghaCli.Ok, verify.ExitCode);
        Assert.StartsWith($"replication verified: primary {leader.Name}", verify.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.SuperuserPassword, table.Output + table.Error + verify.Output + verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_write_service_that_points_at_a_replica_fails_status_and_verify()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replica = cluster.Members.First(m => m != leader);
        // The Services disagree with Patroni: the read-write one selects a replica (as a stale label would make it).
        Func<ServiceEndpoints, ServiceEndpoints> wrong = e => e with { ReadWritePods = [replica.Name] };

        var status = await Run(cluster, wrong, "", "status", "--json");
        Assert.Equal(PghaCli.Unhealthy, status.ExitCode);
        Assert.False(JsonDocument.Parse(status.Output).RootElement.GetProperty("healthy").GetBoolean());

        var verify = await Run(cluster, wrong, "", "verify", "--timeout", "3");
        Assert.Equal(PghaCli.Unhealthy, verify.ExitCode);
        Assert.Contains(replica.Name, verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_replica_makes_status_and_verify_fail_naming_it()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var stopped = cluster.Members.First(m => m != leader);
        await stopped.CrashAsync();

        var status = await Run(cluster, "", "status", "--json");
        Assert.Equal(PghaCli.Unhealthy, status.ExitCode);
        var json = JsonDocument.Parse(status.Output).RootElement;
        Assert.False(json.GetProperty("healthy").GetBoolean());
        Assert.Contains(json.GetProperty("problems").EnumerateArray(), p => p.GetProperty("check").GetString() == $"{stopped.Name} streams from {leader.Name}");

        var verify = await Run(cluster, "", "verify", "--timeout", "3");
        Assert.Equal(PghaCli.Unhealthy, verify.ExitCode);
        Assert.Contains($"{stopped.Name} streams from {leader.Name}", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switchover_moves_the_primary_waits_for_writes_and_the_service_and_prints_the_new_status()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var candidate = cluster.Members.First(m => m != leader);

        var refused = await Run(cluster, "", "switchover", "--to", leader.Name);
        Assert.Equal(PghaCli.Usage, refused.ExitCode);
        Assert.Contains("already the primary", refused.Error, StringComparison.Ordinal);
        var unknown = await Run(cluster, "", "switchover", "--to", "pg-7");
        Assert.Equal(PghaCli.Usage, unknown.ExitCode);
        Assert.Contains("Members: pg-0, pg-1, pg-2", unknown.Error, StringComparison.Ordinal);

        var result = await Run(cluster, "", "switchover", "--to", candidate.Name, "--timeout", "120");
        Assert.Equal(PghaCli.Ok, result.ExitCode);
        Assert.Contains($"{candidate.Name} is the primary and accepts writes", result.Error, StringComparison.Ordinal);
        Assert.Matches($@"(?m)^{candidate.Name}\s+leader\s+running\s+2\s.*rw$", result.Output);
        // Really the primary now: it takes a write.
        await candidate.ExecuteAsync("CREATE TABLE after_switchover (id int)");
    }

    [Fact]
    public async Task Failover_asks_first_and_does_nothing_without_the_pod_name_then_fails_over_when_confirmed()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var candidate = cluster.Members.Last(m => m != leader);

        var declined = await Run(cluster, "no\n", "failover", "--to", candidate.Name);
        Assert.Equal(PghaCli.Unhealthy, declined.ExitCode);
        Assert.Contains("Type the pod name to confirm", declined.Output, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", declined.Error, StringComparison.Ordinal);
        Assert.False(await leader.ScalarAsync<bool>("SELECT pg_is_in_recovery()"));

        var confirmed = await Run(cluster, candidate.Name + "\n", "failover", "--to", candidate.Name, "--timeout", "120");
        Assert.Equal(PghaCli.Ok, confirmed.ExitCode);
        Assert.False(await candidate.ScalarAsync<bool>("SELECT pg_is_in_recovery()"));
        Assert.Matches($@"(?m)^{candidate.Name}\s+leader\s", confirmed.Output);
    }
}
