using System.Text.Json.Nodes;
using PgHa.Operations.Patroni;
using PgHa.Testing;

namespace PgHa.Operations.Tests;

/// <summary>The Patroni REST client against a real 3-member loopback Patroni cluster: each read, a configuration change, a refusal.</summary>
public sealed class PatroniClientTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly PatroniClient _client = new(Http);

    [Fact]
    public async Task Reads_the_cluster_each_members_own_status_and_the_dynamic_configuration()
    {
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replica = cluster.Members.First(m => m != leader);

        // A replica's lag is known once it has published its position (one Patroni loop).
        var view = await Wait.UntilAsync("every replica's lag in GET /cluster", TimeSpan.FromSeconds(30), async () =>
        {
            var current = await _client.GetClusterAsync(replica.RestApi, CancellationToken.None);
            return current.Members.Where(m => !m.IsLeader).All(m => m.LagBytes is not null) ? current : null;
        }, output.WriteLine);
        output.WriteLine(view.ToString());
        Assert.Equal(cluster.Members.Select(m => m.Name).Order(), view.Members.Select(m => m.Name));
        var leaderView = Assert.Single(view.Leaders);
        Assert.Equal(leader.Name, leaderView.Name);
        Assert.Equal((1, "127.0.0.1", leader.PostgresPort, new Uri(leader.RestApi, "/patroni")), (leaderView.Timeline, leaderView.Host, leaderView.Port, leaderView.ApiUrl));
        Assert.Null(leaderView.LagBytes);
        Assert.All(view.Members.Where(m => !m.IsLeader), m => Assert.True(m.State is "running" or "streaming", $"{m.Name}: {m.State}"));
        Assert.False(view.Paused);

        var primary = await _client.GetNodeStatusAsync(leader.RestApi, CancellationToken.None);
        Assert.True(primary.IsPrimary && primary.IsRunning, $"{leader.Name}: {primary}");
        Assert.Equal((1, cluster.Scope), (primary.Timeline, primary.Scope));
        Assert.InRange(primary.ServerVersion ?? 0, 150000, 999999);
        var standby = await _client.GetNodeStatusAsync(replica.RestApi, CancellationToken.None);
        Assert.Equal("replica", standby.Role);
        Assert.False(standby.IsPrimary);

        var config = await _client.GetConfigAsync(replica.RestApi, CancellationToken.None);
        Assert.Equal(cluster.Settings.Patroni.Ttl, config["ttl"]!.GetValue<int>());
        Assert.Equal(cluster.Settings.Patroni.LoopWait, config["loop_wait"]!.GetValue<int>());
        Assert.Equal("scram-sha-256", config["postgresql"]!["parameters"]!["password_encryption"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_configuration_change_reaches_postgresql_and_a_null_removes_it_again_and_a_refusal_says_why()
    {
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine);
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replica = cluster.Members.First(m => m != leader);
        Assert.Equal("4MB", await leader.ScalarAsync<string>("SHOW work_mem"));

        // Asked through a replica: any member writes the change into the store.
        var stored = await _client.PatchConfigAsync(replica.RestApi, Parameter("work_mem", "8MB"), CancellationToken.None);
        Assert.Equal("8MB", stored["postgresql"]!["parameters"]!["work_mem"]!.GetValue<string>());
        Assert.Equal(cluster.Settings.Patroni.Ttl, stored["ttl"]!.GetValue<int>());
        await Wait.UntilTrueAsync("the leader's PostgreSQL to run with work_mem 8MB", TimeSpan.FromSeconds(60),
            async () => await leader.ScalarAsync<string>("SHOW work_mem") == "8MB", output.WriteLine);

        var removed = await _client.PatchConfigAsync(leader.RestApi, Parameter("work_mem", null), CancellationToken.None);
        Assert.False(removed["postgresql"]!["parameters"]!.AsObject().ContainsKey("work_mem"));
        await Wait.UntilTrueAsync("the leader's PostgreSQL to run with the default work_mem again", TimeSpan.FromSeconds(60),
            async () => await leader.ScalarAsync<string>("SHOW work_mem") == "4MB", output.WriteLine);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            _client.SwitchoverAsync(leader.RestApi, replica.Name, leader.Name, CancellationToken.None));
        Assert.Equal("Patroni refused (412): leader name does not match", refused.Message);
        Assert.Equal(leader.Name, Assert.Single((await _client.GetClusterAsync(leader.RestApi, CancellationToken.None)).Leaders).Name);
    }

    private static JsonObject Parameter(string name, string? value) =>
        new() { ["postgresql"] = new JsonObject { ["parameters"] = new JsonObject { [name] = value } } };
}
