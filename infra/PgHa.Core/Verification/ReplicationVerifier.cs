using System.Globalization;
using PgHa.Core.Patroni;

namespace PgHa.Core.Verification;

/// <summary>
/// Proves replication: exactly one primary, every other member streaming from it on its timeline within the
/// lag limit, one healthy slot per replica, and (where a Kubernetes API is reachable) the Services pointing at
/// the right pods. Retries until the checks pass or the timeout ends (pods may still be joining after a rollout).
/// </summary>
public sealed class ReplicationVerifier(IMemberProbe probe, IServiceEndpointsSource? endpoints = null, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<VerificationReport> VerifyAsync(IReadOnlyList<MemberEndpoint> members, VerificationExpectations expectations,
        Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        // Elapsed time by the same clock the retries wait on, so a test's clock decides both.
        var started = _time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            var observations = await Task.WhenAll(members.Select(m => probe.ObserveAsync(m, cancellationToken))).ConfigureAwait(false);
            var serviceEndpoints = endpoints is null ? null : await ReadEndpointsAsync(cancellationToken).ConfigureAwait(false);
            var report = Evaluate(observations, expectations, serviceEndpoints, _time.GetUtcNow(), attempt);
            var elapsed = _time.GetElapsedTime(started);
            if (report.Passed || elapsed + expectations.RetryInterval > expectations.Timeout)
            {
                return report;
            }

            progress?.Invoke($"[progress] replication check attempt {attempt}: {report.Failures.Count} problem(s) " +
                $"({string.Join("; ", report.Failures.Select(f => f.Name))}); {elapsed.TotalSeconds:0}s elapsed of {expectations.Timeout.TotalSeconds:0}s");
            await Task.Delay(expectations.RetryInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ServiceEndpoints?> ReadEndpointsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await endpoints!.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return new ServiceEndpoints([$"(could not read: {e.Message})"], []);
        }
    }

    /// <summary>The checks for one set of observations (pure: no I/O).</summary>
    public static VerificationReport Evaluate(IReadOnlyList<MemberObservation> observations, VerificationExpectations expectations,
        ServiceEndpoints? serviceEndpoints, DateTimeOffset checkedAt, int attempt)
    {
        var checks = new List<CheckResult>
        {
            new("member count", observations.Count == expectations.Members,
                $"{expectations.Members} members", $"{observations.Count} ({string.Join(", ", observations.Select(o => o.Name))})"),
        };

        var unreachable = observations.Where(o => !o.Reachable).ToArray();
        checks.Add(new CheckResult("members reachable", unreachable.Length == 0, "every member accepts a connection",
            unreachable.Length == 0 ? "all reachable" : string.Join("; ", unreachable.Select(o => $"{o.Name}: {o.Error}"))));

        var primaries = observations.Where(o => o.Reachable && !o.InRecovery).ToArray();
        checks.Add(new CheckResult("exactly one primary", primaries.Length == 1, "one member not in recovery",
            primaries.Length switch
            {
                0 => "no primary",
                1 => primaries[0].Name,
                _ => $"split brain: {string.Join(" and ", primaries.Select(p => p.Name))} are all primaries",
            }));

        var replicas = new List<ReplicaReport>();
        var primary = primaries.Length == 1 ? primaries[0] : null;
        if (primary is not null)
        {
            foreach (var member in observations.Where(o => o != primary))
            {
                var row = primary.Replication.FirstOrDefault(r => r.ApplicationName == member.Name);
                var slotName = PatroniNames.SlotName(member.Name);
                var slot = primary.Slots.FirstOrDefault(s => s.Name == slotName);
                replicas.Add(new ReplicaReport(member.Name, row?.State ?? "not connected", row?.ReplayLagBytes, slot?.Name, slot?.Active ?? false,
                    row?.ReplayLagSeconds));

                checks.Add(new CheckResult($"{member.Name} streams from {primary.Name}", row?.State == "streaming" && member.InRecovery,
                    "in recovery, state streaming", $"{(member.Reachable ? (member.InRecovery ? "in recovery" : "not in recovery") : "unreachable")}, state {row?.State ?? "no replication connection"}"));
                if (member.Reachable && member.InRecovery)
                {
                    checks.Add(new CheckResult($"{member.Name} timeline", member.Timeline == primary.Timeline,
                        $"timeline {primary.Timeline}", member.Timeline is null ? "no WAL receiver" : $"timeline {member.Timeline}"));
                }

                if (row is not null)
                {
                    checks.Add(new CheckResult($"{member.Name} replay lag", row.ReplayLagBytes is { } lag && lag <= expectations.MaxReplayLagBytes,
                        $"at most {Bytes(expectations.MaxReplayLagBytes)}", row.ReplayLagBytes is { } l ? Bytes(l) : "unknown"));
                }

                checks.Add(new CheckResult($"slot {slotName} on {primary.Name}",
                    slot is { Active: true, WalStatus: "reserved" or "extended" },
                    "present, active, wal_status reserved or extended",
                    slot is null ? "missing" : $"active={slot.Active.ToString().ToLowerInvariant()}, wal_status={slot.WalStatus ?? "null"}"));
            }
        }

        if (expectations.Archiving && primary is not null)
        {
            checks.Add(new CheckResult($"WAL archiving on {primary.Name}", primary.Archiver?.Healthy == true,
                "WAL archived, no failure since the last success", primary.Archiver?.ToString() ?? "pg_stat_archiver not read"));
        }

        if (serviceEndpoints is not null && primary is not null)
        {
            var expectedReplicas = observations.Where(o => o != primary).Select(o => o.Name).Order().ToArray();
            checks.Add(new CheckResult("read-write Service endpoints", serviceEndpoints.ReadWritePods.SequenceEqual([primary.Name]),
                primary.Name, List(serviceEndpoints.ReadWritePods)));
            checks.Add(new CheckResult("read-only Service endpoints", serviceEndpoints.ReadOnlyPods.Order().SequenceEqual(expectedReplicas),
                List(expectedReplicas), List(serviceEndpoints.ReadOnlyPods.Order().ToArray())));
        }

        return new VerificationReport(checks, primary?.Name, replicas, primary?.Timeline, checkedAt, attempt, primary?.Archiver);
    }

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "(none)" : string.Join(", ", items);

    private static string Bytes(long bytes) => bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
}
