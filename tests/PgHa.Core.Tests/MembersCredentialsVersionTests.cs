using PgHa.Core.DayTwo;

namespace PgHa.Core.Tests;

/// <summary>The members' credentials' version the pod template carries (<see cref="CredentialVersions.MembersVersion"/>).</summary>
public sealed class MembersCredentialsVersionTests
{
    private static string Version(string cluster, string superuser, string replication) => CredentialVersions.MembersVersion(cluster,
        CredentialVersions.Fingerprint(CredentialRole.Superuser, "postgres", superuser),
        CredentialVersions.Fingerprint(CredentialRole.Replication, "replicator", replication));

    [Fact]
    public void Changes_with_either_members_password_and_the_cluster_and_holds_neither_password_nor_fingerprint()
    {
        var version = Version("team-db/orders", "super-1", "repl-1");

        Assert.Matches("^[0-9a-f]{64}$", version);
        Assert.Equal(version, Version("team-db/orders", "super-1", "repl-1"));
        Assert.NotEqual(version, Version("team-db/orders", "super-2", "repl-1"));
        Assert.NotEqual(version, Version("team-db/orders", "super-1", "repl-2"));
        Assert.NotEqual(version, Version("team-db/other", "super-1", "repl-1"));
        // Not the fingerprints themselves (which the rollout's secret input carries), nor a single hash of them.
        Assert.NotEqual(CredentialVersions.Fingerprint(CredentialRole.Superuser, "postgres", "super-1"), version);
        Assert.DoesNotContain("super-1", version, StringComparison.Ordinal);
    }
}
