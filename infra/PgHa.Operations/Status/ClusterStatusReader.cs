using PgHa.Core.Naming;
using PgHa.Core.Verification;
using PgHa.Operations.Access;
using PgHa.Operations.Patroni;
using PgHa.Operations.Verification;

namespace PgHa.Operations.Status;

/// <summary>
/// Reads the cluster once: pods, each member's PostgreSQL (role, timeline, replication and slots on the primary),
/// Patroni's view, and the Services' endpoints; judged by the same checks as the post-deploy verification.
/// </summary>
public sealed class ClusterStatusReader(IClusterAccess access, ClusterTarget target, PatroniClient patroni, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var pods = await access.ListMembersAsync(cancellationToken).ConfigureAwait(false);
        if (pods.Count == 0)
        {
            throw new InvalidOperationException($"No pods of cluster {target} (label {Labels.Instance}={target.Cluster}) in namespace {target.Namespace}.");
        }

        var members = await EndpointsAsync(pods, cancellationToken).ConfigureAwait(false);
        var probe = VerifierFactory.Probe(await access.GetMonitoringAsync(cancellationToken).ConfigureAwait(false));
        var observations = await Task.WhenAll(members.Select(m => probe.ObserveAsync(m, cancellationToken))).ConfigureAwait(false);
        var services = await ServicesAsync(cancellationToken).ConfigureAwait(false);
        var (patroniMembers, patroniProblem) = await PatroniViewAsync(pods, cancellationToken).ConfigureAwait(false);

        var report = ReplicationVerifier.Evaluate(observations, Expectations(TimeSpan.Zero, pods.Count), services, _time.GetUtcNow(), 1);
        var problems = report.Failures.ToList();
        if (patroniProblem is not null)
        {
            problems.Add(patroniProblem);
        }

        var rows = observations.Select(o => Row(o, report, patroniMembers, services)).ToArray();
        return new ClusterStatus(target.Namespace, target.Cluster, report.Primary, rows, services, report.Archiver?.ToString(), problems, report.CheckedAt);
    }

    /// <summary>What healthy means for this target, retrying for <paramref name="timeout"/>.</summary>
    public VerificationExpectations Expectations(TimeSpan timeout, int pods) =>
        new(target.ExpectedMembers ?? pods, target.MaxLagBytes, timeout, TimeSpan.FromSeconds(2), target.ExpectArchiving);

    public async Task<IReadOnlyList<MemberEndpoint>> EndpointsAsync(IReadOnlyList<MemberPod> pods, CancellationToken cancellationToken) =>
        await Task.WhenAll(pods.Select(p => access.PostgresEndpointAsync(p.Name, cancellationToken))).ConfigureAwait(false);

    private async Task<ServiceEndpoints?> ServicesAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await access.GetServiceEndpointsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException or k8s.Autorest.HttpOperationException)
        {
            return new ServiceEndpoints([$"(could not read: {e.Message})"], []);
        }
    }

    /// <summary>Patroni's members from the first pod whose REST API answers.</summary>
    private async Task<(IReadOnlyList<PatroniMemberView> Members, CheckResult? Problem)> PatroniViewAsync(IReadOnlyList<MemberPod> pods, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        foreach (var pod in pods.OrderByDescending(p => p.RoleLabel == Labels.PrimaryRole))
        {
            try
            {
                var api = await access.PatroniApiAsync(pod.Name, cancellationToken).ConfigureAwait(false);
                return ((await patroni.GetClusterAsync(api, cancellationToken).ConfigureAwait(false)).Members, null);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
            {
                errors.Add($"{pod.Name}: {e.Message}");
            }
        }

        return ([], new CheckResult("Patroni REST API", false, "a member answers GET /cluster", string.Join("; ", errors)));
    }

    private static MemberStatus Row(MemberObservation observation, VerificationReport report, IReadOnlyList<PatroniMemberView> patroniMembers,
        ServiceEndpoints? services)
    {
        var patroni = patroniMembers.FirstOrDefault(m => m.Name == observation.Name);
        var replica = report.Replicas.FirstOrDefault(r => r.Name == observation.Name);
        var role = patroni?.Role ?? (!observation.Reachable ? "unknown" : observation.InRecovery ? "replica" : "primary");
        var state = patroni?.State ?? (observation.Reachable ? "running" : "unreachable");
        var serving = new List<string>();
        if (services?.ReadWritePods.Contains(observation.Name) == true)
        {
            serving.Add("rw");
        }

        if (services?.ReadOnlyPods.Contains(observation.Name) == true)
        {
            serving.Add("ro");
        }

        return new MemberStatus(observation.Name, role, state, observation.Timeline ?? patroni?.Timeline,
            replica?.ReplayLagBytes, replica?.ReplayLagSeconds, replica?.Slot, replica is null ? null : replica.SlotActive, serving, observation.Error);
    }
}
