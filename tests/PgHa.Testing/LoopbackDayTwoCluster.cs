using System.Text.Json.Nodes;
using PgHa.Core.DayTwo;
using PgHa.Core.Settings;
using PgHa.Operations.DayTwo;
using PgHa.Operations.Patroni;

namespace PgHa.Testing;

/// <summary>
/// The day-2 seam over a loopback <see cref="PatroniCluster"/>, standing in for the StatefulSet and its pods: the
/// "template" is a settings tree and a revision name the harness tracks (<see cref="ApplyTemplate"/>, like
/// <c>status.updateRevision</c>), each member has the revision it was last started from, and "recreating a pod" is a
/// graceful stop (SIGTERM to Patroni) and a start with the member's configuration rewritten from the current template
/// and "Secrets". Patroni, PostgreSQL and the primary are reached for real, as on Kubernetes: as the superuser with
/// the password in its "Secret", or, refused, with the one the leader was started with (a pod's environment). There are no volumes,
/// no scaling and no Deployments on loopback: a Deployment restart is recorded in <see cref="Events"/>.
/// </summary>
public sealed class LoopbackDayTwoCluster : IDayTwoCluster
{
    /// <summary>The loopback members are named like the pods of a StatefulSet called this.</summary>
    public const string StatefulSet = "pg";

    public const string FirstRevision = "pg-rev-1";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly PatroniCluster _cluster;
    private readonly PatroniClient _patroni = new(Http);
    private readonly Dictionary<string, string> _revisions;

    /// <summary>The superuser password each member was last started with (a pod's PGPASSWORD_SUPERUSER).</summary>
    private readonly Dictionary<string, string> _startedWithSuperuser;
    private readonly object _events = new();
    private readonly List<string> _eventList = [];
    private int _refusedSuperuserSecret;

    public LoopbackDayTwoCluster(PatroniCluster cluster)
    {
        _cluster = cluster;
        Template = cluster.Settings;
        _revisions = cluster.Members.ToDictionary(m => m.Name, _ => FirstRevision);
        _startedWithSuperuser = cluster.Members.ToDictionary(m => m.Name, _ => cluster.SuperuserPassword);
        Secrets[CredentialRole.Superuser] = new RoleSecret(CredentialRole.Superuser, Defaults.SuperuserName, cluster.SuperuserPassword);
        Secrets[CredentialRole.Replication] = new RoleSecret(CredentialRole.Replication, cluster.Settings.Credentials.Replication.Username, cluster.ReplicationPassword);
    }

    /// <summary>The revision every member should run (the StatefulSet's update revision).</summary>
    public string UpdateRevision { get; private set; } = FirstRevision;

    /// <summary>The settings a member gets when it is (re)started: the pod template's stand-in.</summary>
    public PgHaSettings Template { get; private set; }

    /// <summary>The roles' Secrets: what a recreated member, <see cref="ReadPasswordAsync"/> and the connection to the primary read.</summary>
    public Dictionary<CredentialRole, RoleSecret> Secrets { get; } = [];

    /// <summary>Members whose "pod" is never scheduled again once deleted: stopped and not started (until <see cref="ScheduleAsync"/>).</summary>
    public HashSet<string> NeverReturns { get; } = [];

    /// <summary>What was done, in order: "recreate pg-2", "switchover pg-0 -> pg-1", "restart postgres pg-1", "set verifier app", "restart deployment ns/name".</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_events)
            {
                return _eventList.ToArray();
            }
        }
    }

    /// <summary>How often the leader refused the superuser Secret's password and the one it was started with was used instead.</summary>
    public int RefusedSuperuserSecret => Volatile.Read(ref _refusedSuperuserSecret);

    /// <summary>The revision a member was last started from.</summary>
    public string Revision(string member) => _revisions[member];

    /// <summary>A new pod template: members started from now on get <paramref name="settings"/> (default: unchanged) and run <paramref name="revision"/>.</summary>
    public void ApplyTemplate(string revision, PgHaSettings? settings = null)
    {
        UpdateRevision = revision;
        Template = settings ?? Template;
    }

    /// <summary>A stuck "pod" is scheduled at last: the member starts (from the template it was recreated with).</summary>
    public void Schedule(string member)
    {
        NeverReturns.Remove(member);
        _cluster.Member(member).Start();
    }

    public async Task<ObservedCluster> ObserveAsync(CancellationToken cancellationToken)
    {
        var api = RunningApi();
        var view = await _patroni.GetClusterAsync(api, cancellationToken).ConfigureAwait(false);
        var configuration = await ReadConfigurationAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, ReplicationRow> replication = new Dictionary<string, ReplicationRow>();
        IReadOnlyDictionary<string, string?> stored = new Dictionary<string, string?>();
        if (view.Leaders.Count == 1)
        {
            var primary = await PrimaryAsync(view.Leaders[0].Name, cancellationToken).ConfigureAwait(false);
            replication = await primary.ReplicationAsync(cancellationToken).ConfigureAwait(false);
            stored = await primary.StoredPasswordsAsync(Secrets.Values.Select(s => s.Username).ToArray(), cancellationToken).ConfigureAwait(false);
        }

        return ObservedClusterBuilder.Build(StatefulSet, view, configuration, replication, new Dictionary<string, string>(_revisions), UpdateRevision,
            _cluster.Members.Count, [], Secrets.Values.ToArray(), stored);
    }

    public async Task RecreatePodAsync(string pod, DayTwoWait wait, CancellationToken cancellationToken)
    {
        Record($"recreate {pod}");
        var member = _cluster.Member(pod);
        wait.Progress($"stopping {pod} (SIGTERM to Patroni, as a pod deletion does)");
        await member.StopAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        var superuser = Secrets[CredentialRole.Superuser].Password;
        await _cluster.WriteMemberConfigurationAsync(member, Template, Secrets[CredentialRole.Replication].Password, superuser).ConfigureAwait(false);
        _revisions[pod] = UpdateRevision;
        _startedWithSuperuser[pod] = superuser;
        if (NeverReturns.Contains(pod))
        {
            wait.Progress($"{pod} is not started again (its pod is never scheduled)");
            return;
        }

        member.Start();
        await wait.UntilTrueAsync($"{pod}'s Patroni to answer", async () =>
        {
            member.ThrowIfDiedUnexpectedly();
            var (status, body) = await member.GetAsync("/patroni").ConfigureAwait(false);
            return status != 0 ? true : throw new PgHa.Core.Waiting.NotYetException(body);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RestartPostgresAsync(string pod, bool onlyIfPending, CancellationToken cancellationToken)
    {
        var restarted = await _patroni.RestartAsync(_cluster.Member(pod).RestApi, onlyIfPending, cancellationToken).ConfigureAwait(false);
        if (restarted)
        {
            Record($"restart postgres {pod}");
        }

        return restarted;
    }

    /// <summary>Never blocked: every member of a loopback cluster serves its REST API with the same scheme.</summary>
    public Task<string?> SwitchoverBlockerAsync(string leader, string candidate, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task SwitchoverAsync(string leader, string candidate, CancellationToken cancellationToken)
    {
        Record($"switchover {leader} -> {candidate}");
        return _patroni.SwitchoverAsync(_cluster.Member(leader).RestApi, leader, candidate, cancellationToken);
    }

    public async Task<LivePatroniConfiguration> ReadConfigurationAsync(CancellationToken cancellationToken) =>
        LivePatroniConfiguration.FromJson((await _patroni.GetConfigAsync(RunningApi(), cancellationToken).ConfigureAwait(false)).ToJsonString());

    public async Task<LivePatroniConfiguration> PatchConfigurationAsync(string json, CancellationToken cancellationToken)
    {
        Record($"PATCH /config {json}");
        var stored = await _patroni.PatchConfigAsync(RunningApi(), JsonNode.Parse(json)!.AsObject(), cancellationToken).ConfigureAwait(false);
        return LivePatroniConfiguration.FromJson(stored.ToJsonString());
    }

    public Task<string> ReadPasswordAsync(CredentialRole role, CancellationToken cancellationToken) => Task.FromResult(Secrets[role].Password);

    public async Task SetPasswordVerifierAsync(string username, string verifier, CancellationToken cancellationToken)
    {
        Record($"set verifier {username}");
        var primary = await PrimaryAsync(await LeaderAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await primary.SetVerifierAsync(username, verifier, cancellationToken).ConfigureAwait(false);
    }

    public async Task DropReplicationSlotAsync(string slot, CancellationToken cancellationToken)
    {
        Record($"drop slot {slot}");
        var primary = await PrimaryAsync(await LeaderAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        await primary.DropSlotAsync(slot, cancellationToken).ConfigureAwait(false);
    }

    public Task GrowVolumeAsync(string claim, string size, DayTwoWait wait, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a loopback cluster has no volume claims.");

    public Task ScaleStatefulSetAsync(int replicas, DayTwoWait wait, CancellationToken cancellationToken) =>
        throw new NotSupportedException("a loopback cluster has a fixed set of members.");

    public Task RestartDeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        Record($"restart deployment {ns}/{name}");
        return Task.CompletedTask;
    }

    private Uri RunningApi() =>
        _cluster.Members.FirstOrDefault(m => m.IsRunning)?.RestApi ?? throw new InvalidOperationException("no member of the loopback cluster runs.");

    private async Task<string> LeaderAsync(CancellationToken cancellationToken)
    {
        var view = await _patroni.GetClusterAsync(RunningApi(), cancellationToken).ConfigureAwait(false);
        return view.Leaders.Count == 1 ? view.Leaders[0].Name : throw new InvalidOperationException($"{view.Leaders.Count} leaders: {view}");
    }

    /// <summary>As on Kubernetes: the superuser Secret's password, and when the leader refuses it, the one the leader was started with.</summary>
    private async Task<PrimaryDatabase> PrimaryAsync(string leader, CancellationToken cancellationToken)
    {
        var primary = Primary(leader, Secrets[CredentialRole.Superuser].Password);
        if (await primary.AcceptsPasswordAsync(cancellationToken).ConfigureAwait(false))
        {
            return primary;
        }

        Interlocked.Increment(ref _refusedSuperuserSecret);
        return Primary(leader, _startedWithSuperuser[leader]);
    }

    private PrimaryDatabase Primary(string leader, string superuserPassword) =>
        new(new Npgsql.NpgsqlConnectionStringBuilder(_cluster.Member(leader).ConnectionString()) { Password = superuserPassword }.ConnectionString);

    private void Record(string text)
    {
        lock (_events)
        {
            _eventList.Add(text);
        }
    }
}
