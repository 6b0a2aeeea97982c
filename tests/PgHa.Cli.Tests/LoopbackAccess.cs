using Moq;
using System.Text.Json;
using PgHa.Cli;
using PgHa.Core.Verification;
using PgHa.Operations.Access;
using PgHa.Operations.Patroni;
using PgHa.Testing;

namespace PgHa.Cli.Tests;

/// <summary>
/// The Kubernetes seam (Moq) in front of a real loopback Patroni cluster: pods are its members, a member's role
/// label is the role Patroni reports for itself (<c>GET /patroni</c>, the state Patroni writes into the pod's label;
/// never PostgreSQL's pg_is_in_recovery(), which the verifier uses to find the primary), and the Services select by
/// that label, as in the cluster. PostgreSQL and Patroni are reached directly instead of through port-forwards.
/// </summary>
public static class LoopbackAccess
{
    /// <param name="services">Changes what the Services point at, to show the checks see a Service that disagrees.</param>
    public static ClusterAccessFactory For(PatroniCluster cluster, Func<ServiceEndpoints, ServiceEndpoints>? services = null) =>
        (_, _) => Create(cluster, services).Object;

    public static Mock<IClusterAccess> Create(PatroniCluster cluster, Func<ServiceEndpoints, ServiceEndpoints>? services = null)
    {
        var access = new Mock<IClusterAccess>(MockBehavior.Strict);
        access.Setup(a => a.ListMembersAsync(It.IsAny<CancellationToken>()))
            .Returns(async () => (IReadOnlyList<MemberPod>)await Task.WhenAll(cluster.Members.Select(async m =>
                new MemberPod(m.Name, await RoleAsync(m), m.IsRunning))));
        access.Setup(a => a.GetServiceEndpointsAsync(It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                var roles = await Task.WhenAll(cluster.Members.Select(async m => (m.Name, Role: await RoleAsync(m))));
                var endpoints = new ServiceEndpoints(
                    roles.Where(r => r.Role == "primary").Select(r => r.Name).ToArray(),
                    roles.Where(r => r.Role == "replica").Select(r => r.Name).ToArray());
                return services is null ? endpoints : services(endpoints);
            });
        access.Setup(a => a.GetSuperuserAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync(new VerifierCredentials("postgres", cluster.SuperuserPassword));
        access.Setup(a => a.GetMonitoringAsync(It.IsAny<CancellationToken>()))
            .Returns(() => MonitoringRoleAsync(cluster));
        access.Setup(a => a.PostgresEndpointAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string pod, CancellationToken _) => Task.FromResult(new MemberEndpoint(pod, cluster.Member(pod).Address, cluster.Member(pod).PostgresPort)));
        // What the operator's Secret would hold: null on a plain-HTTP loopback cluster.
        access.Setup(a => a.GetPatroniApiCredentialsAsync(It.IsAny<CancellationToken>())).ReturnsAsync(cluster.RestApiCredentials);
        access.Setup(a => a.PatroniApiAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string pod, CancellationToken _) => Task.FromResult(cluster.Member(pod).RestApi));
        access.Setup(a => a.DisposeAsync()).Returns(ValueTask.CompletedTask);
        return access;
    }

    private const string MonitorUser = "pgha_monitor";
    private const string MonitorPassword = "Loopback-monitor-Pa55";

    /// <summary>
    /// The monitoring role as the bootstrap Job makes it (pg_monitor, read-only by default, nothing else), created on the
    /// primary unless it exists (a role created before reached every member by replication). Tests that stop the primary
    /// call it first, while there is one (as the Job runs while the cluster is healthy).
    /// </summary>
    public static async Task<VerifierCredentials> MonitoringRoleAsync(PatroniCluster cluster)
    {
        foreach (var member in cluster.Members.Where(m => m.IsRunning))
        {
            try
            {
                if (await member.ScalarAsync<bool>($"SELECT pg_is_in_recovery() OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{MonitorUser}')"))
                {
                    continue;
                }

                await member.ExecuteAsync($"""
                    CREATE ROLE {MonitorUser} LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOREPLICATION NOBYPASSRLS PASSWORD '{MonitorPassword}';
                    ALTER ROLE {MonitorUser} SET default_transaction_read_only = on;
                    GRANT pg_monitor TO {MonitorUser};
                    """);
                break;
            }
            catch (Npgsql.NpgsqlException)
            {
                // Not reachable or not writable now: another member may be the primary.
            }
        }

        return new VerifierCredentials(MonitorUser, MonitorPassword);
    }

    /// <summary>
    /// The role label Patroni would write: primary for the leader (Patroni 3 reports "master", 4 "primary"), replica
    /// for a running replica, null for a member whose Patroni does not answer (a pod without the label).
    /// </summary>
    private static async Task<string?> RoleAsync(PatroniMember member)
    {
        try
        {
            var (status, body) = await member.GetAsync("/patroni");
            if (status == 0)
            {
                return null;
            }

            var patroni = PatroniNodeStatus.Parse(body);
            return patroni switch
            {
                { IsRunning: false } => null,
                { IsPrimary: true } => "primary",
                { Role: "replica" } => "replica",
                _ => null,
            };
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or IOException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
