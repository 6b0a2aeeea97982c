using Moq;
using Npgsql;
using PgHa.Cli;
using PgHa.Core.Verification;
using PgHa.Testing;

namespace PgHa.Cli.Tests;

/// <summary>
/// The Kubernetes seam (Moq) in front of a real loopback Patroni cluster: pods are its members, a member's role
/// label is what PostgreSQL says it is (as Patroni labels pods), and the Services select by that label, as in
/// the cluster. PostgreSQL and Patroni are reached directly instead of through port-forwards.
/// </summary>
public static class LoopbackAccess
{
    public static ClusterAccessFactory For(PatroniCluster cluster) => (_, _) => Create(cluster).Object;

    public static Mock<IClusterAccess> Create(PatroniCluster cluster)
    {
        var access = new Mock<IClusterAccess>(MockBehavior.Strict);
        access.Setup(a => a.ListMembersAsync(It.IsAny<CancellationToken>()))
            .Returns(async () => (IReadOnlyList<MemberPod>)await Task.WhenAll(cluster.Members.Select(async m =>
                new MemberPod(m.Name, await RoleAsync(m), m.IsRunning))));
        access.Setup(a => a.GetServiceEndpointsAsync(It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                var roles = await Task.WhenAll(cluster.Members.Select(async m => (m.Name, Role: await RoleAsync(m))));
                return new ServiceEndpoints(
                    roles.Where(r => r.Role == "primary").Select(r => r.Name).ToArray(),
                    roles.Where(r => r.Role == "replica").Select(r => r.Name).ToArray());
            });
        access.Setup(a => a.GetSuperuserAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new VerifierCredentials("postgres", cluster.SuperuserPassword));
        access.Setup(a => a.PostgresEndpointAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string pod, CancellationToken _) => Task.FromResult(new MemberEndpoint(pod, "127.0.0.1", cluster.Member(pod).PostgresPort)));
        access.Setup(a => a.PatroniApiAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string pod, CancellationToken _) => Task.FromResult(cluster.Member(pod).RestApi));
        access.Setup(a => a.DisposeAsync()).Returns(ValueTask.CompletedTask);
        return access;
    }

    /// <summary>primary, replica, or null for a member that does not answer (a pod without the label).</summary>
    private static async Task<string?> RoleAsync(PatroniMember member)
    {
        try
        {
            return await member.ScalarAsync<bool>("SELECT pg_is_in_recovery()") ? "replica" : "primary";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
        {
            return null;
        }
    }
}
