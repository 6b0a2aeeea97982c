using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// An existing replication Secret may name any role: Spilo takes the username from it (PGUSER_STANDBY), while the
/// settings only know the default. pg_hba agrees with whatever the Secret says, so the replicas still join.
/// </summary>
public sealed class ExistingSecretUsernameTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Replicas_stream_as_a_replication_role_named_only_in_the_secret()
    {
        const string fromSecret = "standby_from_secret";
        var settings = LoopbackSettings.Load(("pgha:replicationPassword", null), ("pgha:existingReplicationSecret", "team-replication"));
        Assert.NotEqual(fromSecret, settings.Credentials.Replication.Username);

        await using var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine,
            options: new LoopbackClusterOptions { ReplicationUsername = fromSecret });
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(60));

        var users = await leader.ScalarAsync<string[]>(
            "SELECT array_agg(DISTINCT usename::text) FROM pg_stat_replication WHERE application_name LIKE 'pg-%' AND state = 'streaming'");
        Assert.Equal([fromSecret], users);
        Assert.Equal(cluster.Members.Count - 1, await leader.ScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_replication WHERE application_name LIKE 'pg-%' AND state = 'streaming'"));
    }
}
