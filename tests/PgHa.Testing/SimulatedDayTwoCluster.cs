using PgHa.Core.DayTwo;
using PgHa.Operations.DayTwo;

namespace PgHa.Testing;

/// <summary>
/// A stand-in cluster for the executor's unit tests (and the provider's): members named like the pods, each with a role, a state and the
/// revision it runs. It answers actions the way a cluster would (a recreated pod comes back on the update revision as
/// a streaming replica; a switchover moves the leader), records every action in order, and can be told that a pod
/// does not come back. The real behaviour is proven against real Patroni in the integration tests.
/// </summary>
public sealed class SimulatedDayTwoCluster : IDayTwoCluster
{
    public const string Name = "db";
    public const string OldRevision = "db-old";
    public const string NewRevision = "db-new";

    private readonly List<ObservedMember> _members;

    public SimulatedDayTwoCluster(int members, int leader, string updateRevision = NewRevision, string config = "{\"ttl\": 20}")
    {
        _members = Enumerable.Range(0, members).Select(i => new ObservedMember($"{Name}-{i}", i,
            i == leader ? PatroniRole.Leader : PatroniRole.Replica, i == leader ? MemberState.Running : MemberState.Streaming, 1, 0, OldRevision)).ToList();
        UpdateRevision = updateRevision;
        Configuration = LivePatroniConfiguration.FromJson(config);
    }

    public string UpdateRevision { get; set; }

    public LivePatroniConfiguration Configuration { get; set; }

    public List<RotatedCredential> Rotated { get; } = [];

    public Dictionary<CredentialRole, string> Secrets { get; } = [];

    /// <summary>The verifier each role has in the database.</summary>
    public Dictionary<string, string> Verifiers { get; } = [];

    /// <summary>Pods whose replacement never runs (a pod stuck Pending).</summary>
    public HashSet<string> NeverReturns { get; } = [];

    public List<string> Actions { get; } = [];

    public IReadOnlyList<ObservedMember> Members => _members;

    public void Set(string pod, Func<ObservedMember, ObservedMember> change) =>
        _members[_members.FindIndex(m => m.Pod == pod)] = change(_members.Single(m => m.Pod == pod));

    public Task<ObservedCluster> ObserveAsync(CancellationToken cancellationToken) => Task.FromResult(new ObservedCluster(
        _members.ToArray(), Configuration, UpdateRevision, _members.Count, [],
        Rotated.Where(r => !Verifiers.TryGetValue(r.Username, out var v) || !ScramVerifier.Matches(v, Secrets[r.Role], r.Username)).ToArray()));

    public Task RecreatePodAsync(string pod, DayTwoWait wait, CancellationToken cancellationToken)
    {
        Actions.Add($"recreate {pod}");
        if (_members.First(m => m.Pod == pod).IsLeader && _members.FirstOrDefault(m => m.Pod != pod && m.Revision == UpdateRevision && m.State == MemberState.Streaming) is { } heir)
        {
            // Patroni releases the leader lock when the leader shuts down; a healthy replica takes it.
            Set(pod, m => m with { Role = PatroniRole.Replica });
            Set(heir.Pod, m => m with { Role = PatroniRole.Leader, State = MemberState.Running, LagBytes = 0 });
        }

        Set(pod, m => NeverReturns.Contains(pod)
            ? m with { Revision = UpdateRevision, State = MemberState.Stopped, LagBytes = null }
            : m with { Role = m.IsLeader ? PatroniRole.Leader : PatroniRole.Replica, Revision = UpdateRevision, State = m.IsLeader ? MemberState.Running : MemberState.Streaming });
        return Task.CompletedTask;
    }

    public Task<bool> RestartPostgresAsync(string pod, bool onlyIfPending, CancellationToken cancellationToken)
    {
        if (onlyIfPending && !_members.Single(m => m.Pod == pod).PendingRestart)
        {
            return Task.FromResult(false);
        }

        Actions.Add($"restart postgres {pod}");
        Set(pod, m => m with { PendingRestart = false });
        return Task.FromResult(true);
    }

    public Task SwitchoverAsync(string leader, string candidate, CancellationToken cancellationToken)
    {
        Actions.Add($"switchover {leader} -> {candidate}");
        // Patroni demotes by restarting PostgreSQL as a replica, from the configuration it has: nothing stays pending.
        Set(leader, m => m with { Role = PatroniRole.Replica, State = MemberState.Streaming, PendingRestart = false });
        Set(candidate, m => m with { Role = PatroniRole.Leader, State = MemberState.Running, LagBytes = 0 });
        return Task.CompletedTask;
    }

    /// <summary>Leaders that cannot switch over through Patroni (their REST API's scheme differs from the candidates').</summary>
    public HashSet<string> SwitchoverBlocked { get; } = [];

    public Task<string?> SwitchoverBlockerAsync(string leader, string candidate, CancellationToken cancellationToken) =>
        Task.FromResult(SwitchoverBlocked.Contains(leader) ? $"{leader}'s REST API serves http and {candidate}'s https" : null);

    public Task<LivePatroniConfiguration> ReadConfigurationAsync(CancellationToken cancellationToken)
    {
        Actions.Add("GET /config");
        return Task.FromResult(Configuration);
    }

    public Task<LivePatroniConfiguration> PatchConfigurationAsync(string json, CancellationToken cancellationToken)
    {
        Actions.Add($"PATCH /config {json}");
        var merged = Configuration.Values.ToDictionary(v => v.Key, v => v.Value);
        foreach (var (key, value) in LivePatroniConfiguration.FromJson(json).Values)
        {
            merged[key] = value;
        }

        Configuration = new LivePatroniConfiguration(merged);
        return Task.FromResult(Configuration);
    }

    public Task<string> ReadPasswordAsync(CredentialRole role, CancellationToken cancellationToken) => Task.FromResult(Secrets[role]);

    public Task SetPasswordVerifierAsync(string username, string verifier, CancellationToken cancellationToken)
    {
        Actions.Add($"set verifier {username}");
        Verifiers[username] = verifier;
        return Task.CompletedTask;
    }

    public Task DropReplicationSlotAsync(string slot, CancellationToken cancellationToken)
    {
        Actions.Add($"drop slot {slot}");
        return Task.CompletedTask;
    }

    public Task GrowVolumeAsync(string claim, string size, DayTwoWait wait, CancellationToken cancellationToken)
    {
        Actions.Add($"grow {claim} {size}");
        return Task.CompletedTask;
    }

    public Task ScaleStatefulSetAsync(int replicas, DayTwoWait wait, CancellationToken cancellationToken)
    {
        Actions.Add($"scale {replicas}");
        _members.RemoveAll(m => m.Ordinal >= replicas);
        return Task.CompletedTask;
    }

    public Task RestartDeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Actions.Add($"restart deployment {ns}/{name}");
        return Task.CompletedTask;
    }
}
