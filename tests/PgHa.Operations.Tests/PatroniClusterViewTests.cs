using System.Text.Json;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.Tests;

/// <summary>Patroni's /cluster answer as its versions write it (the live answer is read in PatroniClientTests).</summary>
public class PatroniClusterViewTests
{
    [Fact]
    public void Lag_unknown_is_no_number_and_every_leader_role_name_is_a_leader()
    {
        var view = PatroniClusterView.Parse("""
            {"members": [
              {"name": "pg-0", "role": "master", "state": "running", "api_url": "http://10.0.0.1:8008/patroni", "host": "10.0.0.1", "port": 5432, "timeline": 3},
              {"name": "pg-1", "role": "sync_standby", "state": "streaming", "host": "10.0.0.2", "port": 5432, "timeline": 3, "lag": 0, "pending_restart": true},
              {"name": "pg-2", "role": "replica", "state": "starting", "lag": "unknown"}
            ], "pause": true}
            """);

        Assert.True(view.Paused);
        Assert.Equal(["pg-0"], view.Leaders.Select(m => m.Name));
        Assert.Equal(new PatroniMemberView("pg-1", "sync_standby", "streaming", 3, 0, "10.0.0.2", 5432, null, true), view.Members[1]);
        Assert.True(view.Members[1].IsSyncStandby);
        Assert.Equal((null, null, (int?)null), (view.Members[2].LagBytes, view.Members[2].Host, view.Members[2].Timeline));
        Assert.Equal(new Uri("http://10.0.0.1:8008/patroni"), view.Members[0].ApiUrl);
        Assert.All(new[] { "leader", "master", "primary", "standby_leader" },
            role => Assert.True(new PatroniMemberView("m", role, "running", 1, null).IsLeader, role));
        Assert.False(new PatroniMemberView("m", "replica", "running", 1, null).IsLeader);
    }

    [Theory]
    [InlineData("""{"members": {}}""")]
    [InlineData("""{"state": "running"}""")]
    [InlineData("""{"members": [{"role": "leader"}]}""")]
    [InlineData("""[]""")]
    public void An_answer_that_is_not_patronis_is_a_json_error(string json) =>
        Assert.ThrowsAny<JsonException>(() => PatroniClusterView.Parse(json));
}
