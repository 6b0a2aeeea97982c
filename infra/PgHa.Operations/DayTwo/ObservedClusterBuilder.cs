using System.Globalization;
using PgHa.Core.DayTwo;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.DayTwo;

/// <summary>
/// Puts together what was read into the planner's <see cref="ObservedCluster"/>, the same way for Kubernetes and the
/// loopback harness: Patroni's members that are pods of the StatefulSet, a replica counted as streaming only when the
/// primary's pg_stat_replication (or Patroni) says so, its lag from the primary, and a role as rotated when its
/// Secret's password does not match what the database stores.
/// </summary>
public static class ObservedClusterBuilder
{
    public static ObservedCluster Build(
        string statefulSet,
        PatroniClusterView view,
        LivePatroniConfiguration configuration,
        IReadOnlyDictionary<string, ReplicationRow> replication,
        IReadOnlyDictionary<string, string> revisions,
        string updateRevision,
        int replicas,
        IReadOnlyList<ObservedVolume> volumes,
        IReadOnlyList<RoleSecret> secrets,
        IReadOnlyDictionary<string, string?> storedPasswords)
    {
        var members = view.Members
            .Select(m => (View: m, Ordinal: Ordinal(statefulSet, m.Name)))
            .Where(m => m.Ordinal is not null)
            .Select(m => Member(m.View, m.Ordinal!.Value, replication, revisions))
            .OrderBy(m => m.Ordinal)
            .ToArray();
        var rotated = secrets
            .Where(s => !ScramVerifier.Matches(storedPasswords.GetValueOrDefault(s.Username), s.Password, s.Username))
            .Select(s => new RotatedCredential(s.Role, s.Username))
            .ToArray();
        return new ObservedCluster(members, configuration, updateRevision, replicas, volumes, rotated, view.Paused);
    }

    /// <summary>The ordinal of <paramref name="pod"/> in the StatefulSet, or null when it is not one of its pods.</summary>
    public static int? Ordinal(string statefulSet, string pod) =>
        pod.StartsWith(statefulSet + "-", StringComparison.Ordinal)
        && int.TryParse(pod.AsSpan(statefulSet.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal)
            ? ordinal
            : null;

    private static ObservedMember Member(PatroniMemberView view, int ordinal, IReadOnlyDictionary<string, ReplicationRow> replication,
        IReadOnlyDictionary<string, string> revisions)
    {
        var role = view.IsLeader ? PatroniRole.Leader : view.IsSyncStandby ? PatroniRole.SyncStandby : PatroniRole.Replica;
        var streams = replication.TryGetValue(view.Name, out var row) && row.State == "streaming";
        var state = view.State switch
        {
            "running" when view.IsLeader => MemberState.Running,
            "streaming" or "running" when streams => MemberState.Streaming,
            "streaming" => MemberState.Streaming,
            "running" => MemberState.Other,
            "starting" or "restarting" or "creating replica" or "initializing new cluster" or "running custom bootstrap script" => MemberState.Starting,
            "stopped" or "stopping" or "crashed" or "start failed" or "restart failed" => MemberState.Stopped,
            _ => MemberState.Other,
        };
        var lag = view.IsLeader ? 0 : row?.LagBytes ?? view.LagBytes;
        return new ObservedMember(view.Name, ordinal, role, state, view.Timeline, lag,
            revisions.TryGetValue(view.Name, out var revision) ? revision : "(unknown)", view.PendingRestart);
    }
}
