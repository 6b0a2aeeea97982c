using System.Net;
using PgHa.Core.Patroni;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>One cluster with the shipped configuration, shared by the read-mostly bootstrap tests.</summary>
public sealed class ShippedClusterFixture : IAsyncLifetime
{
    public PatroniCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: Console.WriteLine);

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>A freshly bootstrapped cluster with the shipped configuration.</summary>
public sealed class BootstrapTests(ShippedClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ShippedClusterFixture>
{
    private readonly PatroniCluster _cluster = fixture.Cluster;

    [Fact]
    public async Task One_leader_two_streaming_replicas_and_an_active_slot_each()
    {
        var status = (await _cluster.GetStatusAsync())!;
        var leaderStatus = Assert.Single(status.Leaders);
        var leader = _cluster.Member(leaderStatus.Name);
        var replicas = _cluster.Members.Where(m => m != leader).ToArray();

        Assert.True(await leader.ScalarAsync<bool>("SELECT NOT pg_is_in_recovery()"));
        foreach (var replica in replicas)
        {
            Assert.True(await replica.ScalarAsync<bool>("SELECT pg_is_in_recovery()"), $"{replica} must be in recovery");
        }

        var replication = await PatroniCluster.ReplicationAsync(leader);
        Assert.Equal(replicas.Select(r => r.Name).Order(), replication.Keys.Order());
        Assert.All(replication.Values, r => Assert.Equal("streaming", r.State));

        await using var connection = await leader.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT slot_name, slot_type, active, wal_status FROM pg_replication_slots ORDER BY slot_name", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var slots = new List<(string Name, string Type, bool Active, string WalStatus)>();
        while (await reader.ReadAsync())
        {
            slots.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3)));
        }

        Assert.Equal(replicas.Select(r => PatroniNames.SlotName(r.Name)).Order(), slots.Select(s => s.Name));
        Assert.All(slots, s =>
        {
            Assert.Equal("physical", s.Type);
            Assert.True(s.Active, $"slot {s.Name} must be active");
            Assert.Equal("reserved", s.WalStatus);
        });
    }

    [Theory]
    [InlineData("max_slot_wal_keep_size", "4GB")]
    [InlineData("wal_keep_size", "512MB")]
    [InlineData("wal_log_hints", "on")]
    [InlineData("hot_standby_feedback", "off")]
    [InlineData("password_encryption", "scram-sha-256")]
    [InlineData("wal_level", "replica")]
    [InlineData("data_checksums", "on")]
    [InlineData("ssl", "on")]
    [InlineData("archive_mode", "off")]
    public async Task Design_defaults_are_in_effect_on_every_member(string parameter, string expected)
    {
        foreach (var member in _cluster.Members)
        {
            Assert.Equal(expected, await member.ScalarAsync<string>($"SHOW {parameter}"));
        }
    }

    [Fact]
    public async Task Patroni_runs_the_shipped_dynamic_configuration()
    {
        var (status, body) = await _cluster.Members[0].GetAsync("/config");
        Assert.Equal(HttpStatusCode.OK, status);
        using var config = System.Text.Json.JsonDocument.Parse(body);
        var root = config.RootElement;
        Assert.Equal(_cluster.Settings.Patroni.Ttl, root.GetProperty("ttl").GetInt32());
        Assert.Equal(_cluster.Settings.Patroni.LoopWait, root.GetProperty("loop_wait").GetInt32());
        Assert.Equal(_cluster.Settings.Patroni.RetryTimeout, root.GetProperty("retry_timeout").GetInt32());
        Assert.True(root.GetProperty("failsafe_mode").GetBoolean());
        Assert.True(root.GetProperty("postgresql").GetProperty("use_pg_rewind").GetBoolean());
        Assert.True(root.GetProperty("postgresql").GetProperty("use_slots").GetBoolean());
    }

    [Fact]
    public async Task Connections_without_tls_are_rejected()
    {
        var leader = _cluster.Members[0];
        var plain = new Npgsql.NpgsqlConnectionStringBuilder(leader.ConnectionString()) { SslMode = Npgsql.SslMode.Disable }.ConnectionString;
        await using var connection = new Npgsql.NpgsqlConnection(plain);
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => connection.OpenAsync());
        Assert.Equal("28000", e.SqlState);
    }

    [Fact]
    public async Task Readiness_probe_passes_for_leader_and_streaming_replicas()
    {
        var path = PatroniConfig.ReadinessPath(_cluster.Settings.Patroni.ReadinessMaxLagBytes);
        foreach (var member in _cluster.Members)
        {
            Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(path)).Status);
            Assert.Equal(HttpStatusCode.OK, (await member.GetAsync(PatroniConfig.LivenessPath)).Status);
        }
    }

    [Fact]
    public async Task Readiness_probe_fails_for_a_replica_that_lags_more_than_the_threshold()
    {
        var leader = await _cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var lagging = _cluster.Members.First(m => m != leader);
        var healthy = _cluster.Members.Last(m => m != leader);
        const long threshold = 1024 * 1024;
        var path = PatroniConfig.ReadinessPath(threshold);

        // Freeze the replica's startup (replay) process: it keeps receiving WAL but applies none. (Patroni resumes
        // a pg_wal_replay_pause() within a loop, so that cannot hold a replica back.)
        var startup = await lagging.ScalarAsync<int>("SELECT pid FROM pg_stat_activity WHERE backend_type = 'startup'");
        OsProcess.Signal(startup, OsProcess.SigStop);
        try
        {
            // 4 MB of WAL the paused replica receives but does not replay.
            await leader.ExecuteAsync("CREATE TABLE lag_probe AS SELECT g AS id, repeat('x', 1000) AS pad FROM generate_series(1, 4000) g");
            // Patroni publishes the leader's WAL position in the store once per loop; the probe compares against it.
            var loop = TimeSpan.FromSeconds((_cluster.Settings.Patroni.LoopWait * 3) + 5);
            await Wait.UntilTrueAsync($"{lagging} to report not ready while its replay is paused", loop,
                async () => (await lagging.GetAsync(path)).Status == HttpStatusCode.ServiceUnavailable
                    ? true
                    : throw new NotYetException($"{path} answered {(await lagging.GetAsync(path)).Status}; /patroni: {(await lagging.GetAsync("/patroni")).Body}; cluster: {await _cluster.GetStatusAsync()}"),
                output.WriteLine);
            Assert.Equal(HttpStatusCode.OK, (await healthy.GetAsync(path)).Status);
            Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync(path)).Status);
        }
        finally
        {
            OsProcess.Signal(startup, OsProcess.SigCont);
        }

        await Wait.UntilTrueAsync($"{lagging} to be ready again once it replays", TimeSpan.FromSeconds(30),
            async () => (await lagging.GetAsync(path)).Status == HttpStatusCode.OK, output.WriteLine);
    }
}
