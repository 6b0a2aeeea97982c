using PgHa.Core.Verification;
using PgHa.Core.Waiting;
using PgHa.Operations.Access;
using PgHa.Operations.Patroni;
using PgHa.Operations.Postgres;
using PgHa.Operations.Status;

namespace PgHa.Cli;

/// <summary>
/// A switchover or failover through Patroni, then a bounded wait (with progress) until the new primary accepts
/// writes and the read-write Service points at it, and until the rest of the cluster is healthy again.
/// </summary>
public sealed class RoleChange(IClusterAccess access, ClusterStatusReader reader, PatroniClient patroni, Action<string> progress)
{
    public async Task<ClusterStatus> SwitchoverAsync(string candidate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var leader = before.Primary ?? throw new InvalidOperationException(
            "There is no primary to switch over from; use `pgha failover --to <pod>` instead.");
        var target = RequireMember(before, candidate);
        if (candidate == leader)
        {
            throw new CliUsageException($"--to {candidate}: it is already the primary. Pick a replica: {Replicas(before)}.");
        }

        if (target.State is not ("streaming" or "running") || target.Error is not null)
        {
            throw new InvalidOperationException($"{candidate} is not a healthy replica (state {target.State}{(target.Error is null ? "" : ", " + target.Error)}); " +
                "a switchover would wait for it. Fix it, pick another replica, or use `pgha failover --to`.");
        }

        progress($"switching over from {leader} to {candidate} through Patroni");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await patroni.SwitchoverAsync(await access.PatroniApiAsync(leader, cancellationToken).ConfigureAwait(false), leader, candidate, cancellationToken)
            .ConfigureAwait(false);
        return await WaitForNewPrimaryAsync(candidate, clock, timeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ClusterStatus> FailoverAsync(string candidate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var before = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var target = RequireMember(before, candidate);
        if (candidate == before.Primary)
        {
            throw new CliUsageException($"--to {candidate}: it is already the primary. Pick a replica: {Replicas(before)}.");
        }

        if (target.Error is not null)
        {
            throw new InvalidOperationException($"{candidate} is unreachable ({target.Error}); it cannot become the primary.");
        }

        progress($"forcing failover to {candidate} through Patroni");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Asked through the candidate: the leader may be the member that is broken.
        await patroni.FailoverAsync(await access.PatroniApiAsync(candidate, cancellationToken).ConfigureAwait(false), candidate, cancellationToken)
            .ConfigureAwait(false);
        return await WaitForNewPrimaryAsync(candidate, clock, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <param name="clock">Started when Patroni was asked: the timeout and the reported times count from there.</param>
    private async Task<ClusterStatus> WaitForNewPrimaryAsync(string candidate, System.Diagnostics.Stopwatch clock, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        // The superuser: the probe tells a primary open for writes from a read-only member by assigning a transaction id,
        // and the monitoring role's sessions are read-only by default, so its answer would not tell the two apart.
        var credentials = await access.GetSuperuserAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = await access.PostgresEndpointAsync(candidate, cancellationToken).ConfigureAwait(false);
        await Wait.UntilTrueAsync($"{candidate} to accept writes and the read-write Service to point at it", timeout - clock.Elapsed, async () =>
        {
            if (!await WriteProbe.AcceptsWritesAsync(endpoint, credentials, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false))
            {
                throw new NotYetException($"{endpoint.Name} is still read-only (in recovery)");
            }

            var services = await access.GetServiceEndpointsAsync(cancellationToken).ConfigureAwait(false);
            return services.ReadWritePods.SequenceEqual([candidate])
                ? true
                : throw new NotYetException($"{candidate} accepts writes; read-write Service points at [{string.Join(", ", services.ReadWritePods)}]");
        }, progress).ConfigureAwait(false);
        progress($"{candidate} is the primary and accepts writes, {clock.Elapsed.TotalSeconds:0.0}s after the request; waiting for the others to follow it");

        // The old primary rejoins as a replica (pg_rewind, a new slot): it gets the rest of the time.
        while (true)
        {
            var status = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (status.Healthy || clock.Elapsed >= timeout)
            {
                return status;
            }

            progress($"[progress] waiting for the cluster to be healthy again: {clock.Elapsed.TotalSeconds:0}s elapsed, " +
                $"{(timeout - clock.Elapsed).TotalSeconds:0}s left ({string.Join("; ", status.Problems.Select(p => p.Name))})");
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
    }

    private static MemberStatus RequireMember(ClusterStatus status, string pod) =>
        status.Members.FirstOrDefault(m => m.Name == pod)
        ?? throw new CliUsageException($"--to {pod}: not a member of {status.Namespace}/{status.Cluster}. Members: {string.Join(", ", status.Members.Select(m => m.Name))}.");

    private static string Replicas(ClusterStatus status) =>
        string.Join(", ", status.Members.Where(m => m.Name != status.Primary).Select(m => m.Name));
}
