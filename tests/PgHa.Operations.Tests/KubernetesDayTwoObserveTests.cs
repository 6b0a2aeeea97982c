using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Moq;
using PgHa.Core.DayTwo;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Verification;
using PgHa.Operations.Access;
using PgHa.Operations.DayTwo;
using PgHa.Operations.Patroni;
using PgHa.Testing;

namespace PgHa.Operations.Tests;

/// <summary>
/// <see cref="KubernetesDayTwoCluster.ObserveAsync"/>: the Kubernetes API is a strict Moq mock (the StatefulSet, its pods,
/// the claims, the Secrets, exec); Patroni and PostgreSQL are a real 3-member loopback cluster whose members are named like
/// the pods (pg-0, pg-1, pg-2) and reached through a mocked <see cref="IClusterAccess"/> (the port-forwards' seam).
/// </summary>
public sealed class KubernetesDayTwoObserveTests(ITestOutputHelper output)
{
    private const string Ns = "db";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private static readonly CredentialSecretNames SecretNames = new("pg-superuser", "pg-replication", "pg-app", "pg-monitoring");

    private readonly Mock<IKubernetes> _client = new(MockBehavior.Strict);
    private readonly Mock<ICoreV1Operations> _core = new(MockBehavior.Strict);
    private readonly Mock<IAppsV1Operations> _apps = new(MockBehavior.Strict);
    private readonly Mock<IClusterAccess> _access = new(MockBehavior.Strict);
    private readonly Dictionary<string, V1Secret> _secrets = [];
    private readonly List<IList<string>> _execs = [];
    private List<V1Pod> _pods = [];
    private List<V1PersistentVolumeClaim> _claims = [];
    private V1StatefulSet _statefulSet = new();

    /// <summary>What an exec in a pod prints and exits with; null: no exec expected.</summary>
    private Func<string, (int Exit, string Stdout, string Stderr)>? _exec;

    private static V1Pod Pod(string name, string? revision, bool primary = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = Ns,
            Labels = new Dictionary<string, string>
                {
                    [Labels.Name] = Labels.AppName,
                    [Labels.Instance] = "pg",
                    [Labels.RoleKey] = primary ? Labels.PrimaryRole : "replica",
                }
                .Concat(revision is null ? [] : [new KeyValuePair<string, string>(KubernetesDayTwoCluster.RevisionLabel, revision)])
                .ToDictionary(),
        },
        Status = new V1PodStatus { Phase = "Running" },
    };

    private static V1PersistentVolumeClaim Claim(string name, string requested, string? capacity) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new V1PersistentVolumeClaimSpec
        {
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(requested) } },
        },
        Status = capacity is null ? null : new V1PersistentVolumeClaimStatus { Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(capacity) } },
    };

    private static V1Secret Secret(string name, string username, string password) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Data = new Dictionary<string, byte[]>
        {
            [SpiloEnvironment.UsernameKey] = Encoding.UTF8.GetBytes(username),
            [SpiloEnvironment.PasswordKey] = Encoding.UTF8.GetBytes(password),
        },
    };

    private static HttpOperationException NotFound() =>
        new("not found") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.NotFound), string.Empty) };

    /// <summary>The seam over the mocked API, the port-forwards' seam pointing at <paramref name="cluster"/>'s members.</summary>
    private KubernetesDayTwoCluster Observer(PatroniCluster cluster)
    {
        _client.SetupGet(c => c.CoreV1).Returns(_core.Object);
        _client.SetupGet(c => c.AppsV1).Returns(_apps.Object);
        _apps.Setup(a => a.ReadNamespacedStatefulSetWithHttpMessagesAsync("pg", Ns, It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(),
                It.IsAny<CancellationToken>()))
            .Returns(() => Task.FromResult(new HttpOperationResponse<V1StatefulSet> { Body = _statefulSet }));
        _core.Setup(c => c.ListNamespacedPodWithHttpMessagesAsync(Ns, It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int?>(),
                It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => Task.FromResult(new HttpOperationResponse<V1PodList> { Body = new V1PodList { Items = _pods } }));
        _core.Setup(c => c.ListNamespacedPersistentVolumeClaimWithHttpMessagesAsync(Ns, It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => Task.FromResult(new HttpOperationResponse<V1PersistentVolumeClaimList> { Body = new V1PersistentVolumeClaimList { Items = _claims } }));
        _core.Setup(c => c.ReadNamespacedSecretWithHttpMessagesAsync(It.IsAny<string>(), Ns, It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(),
                It.IsAny<CancellationToken>()))
            .Returns((string name, string _, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
                _secrets.TryGetValue(name, out var secret) ? Task.FromResult(new HttpOperationResponse<V1Secret> { Body = secret }) : throw NotFound());
        _client.Setup(c => c.NamespacedPodExecAsync(It.IsAny<string>(), Ns, It.IsAny<string>(), It.IsAny<IEnumerable<string>>(), false, It.IsAny<ExecAsyncCallback>(),
                It.IsAny<CancellationToken>()))
            .Returns(async (string pod, string _, string container, IEnumerable<string> command, bool _, ExecAsyncCallback action, CancellationToken _) =>
            {
                _execs.Add([pod, container, .. command]);
                var (exit, stdout, stderr) = (_exec ?? throw new InvalidOperationException($"unexpected exec in {pod}"))(pod);
                await action(Stream.Null, new MemoryStream(Encoding.UTF8.GetBytes(stdout)), new MemoryStream(Encoding.UTF8.GetBytes(stderr)));
                return exit;
            });

        _access.Setup(a => a.PatroniApiAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string pod, CancellationToken _) => Task.FromResult(cluster.Member(pod).RestApi));
        _access.Setup(a => a.PostgresEndpointAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns((string pod, CancellationToken _) => Task.FromResult(new MemberEndpoint(pod, cluster.Member(pod).Address, cluster.Member(pod).PostgresPort)));
        // As KubernetesClusterAccess does: the superuser from its Secret.
        _access.Setup(a => a.GetSuperuserAsync(It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                var secret = _secrets[SecretNames.Superuser];
                return Task.FromResult(new VerifierCredentials(
                    Encoding.UTF8.GetString(secret.Data[SpiloEnvironment.UsernameKey]), Encoding.UTF8.GetString(secret.Data[SpiloEnvironment.PasswordKey])));
            });
        return new KubernetesDayTwoCluster(_client.Object, _access.Object, new PatroniClient(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }),
            new DayTwoTarget(Ns, "pg", null, SecretNames));
    }

    private async Task<(PatroniCluster Cluster, PatroniMember Leader)> StartAsync()
    {
        var settings = LoopbackSettings.Load();
        var cluster = await PatroniCluster.StartAsync(settings, log: output.WriteLine);
        try
        {
            var leader = await cluster.WaitForHealthyAsync(Bound);
            _statefulSet = new V1StatefulSet
            {
                Metadata = new V1ObjectMeta { Name = "pg", NamespaceProperty = Ns },
                Spec = new V1StatefulSetSpec { Replicas = 3 },
                Status = new V1StatefulSetStatus { UpdateRevision = "pg-new" },
            };
            _secrets[SecretNames.Superuser] = Secret(SecretNames.Superuser, "postgres", cluster.SuperuserPassword);
            _secrets[SecretNames.Replication] = Secret(SecretNames.Replication, settings.Credentials.Replication.Username, cluster.ReplicationPassword);
            return (cluster, leader);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Builds_the_cluster_from_the_pods_revisions_the_claims_Patroni_and_the_primary_and_rejects_what_it_cannot_tell()
    {
        var (cluster, leader) = await StartAsync();
        await using var _ = cluster;
        var replicas = cluster.Members.Where(m => m != leader).ToArray();
        _pods =
        [
            Pod(leader.Name, "pg-old", primary: true),
            Pod(replicas[0].Name, "pg-new"),
            Pod(replicas[1].Name, "pg-old"),
            // Not a member: the selector may match other pods of the instance.
            Pod("pg-backup-28871", "x"),
        ];
        _claims =
        [
            Claim("pgdata-pg-0", "40Gi", "20Gi"),
            Claim("pgdata-pg-1", "40Gi", "40Gi"),
            Claim("pgdata-pg-2", "40Gi", null),
            Claim("pgdata-other-0", "1Ti", "1Ti"),
            Claim("wal-pg-0", "5Gi", "5Gi"),
        ];
        // The replication Secret has a password the role does not have (a rotation); there is no app Secret.
        _secrets[SecretNames.Replication] = Secret(SecretNames.Replication, cluster.Settings.Credentials.Replication.Username, "rotated-" + Guid.NewGuid());
        var observer = Observer(cluster);

        // A replica's lag is known once it streams and its walsender reports a position.
        var observed = await Wait.UntilAsync("both replicas streaming with a known lag", Bound, async () =>
        {
            var current = await observer.ObserveAsync(CancellationToken.None);
            return current.Members.Count(m => m.State == MemberState.Streaming && m.LagBytes is not null) == 2 ? current : null;
        }, output.WriteLine);
        output.WriteLine(string.Join("; ", observed.Members));

        Assert.Equal(["pg-0", "pg-1", "pg-2"], observed.Members.Select(m => m.Pod));
        Assert.Equal([0, 1, 2], observed.Members.Select(m => m.Ordinal));
        var observedLeader = Assert.Single(observed.Members, m => m.IsLeader);
        Assert.Equal((leader.Name, MemberState.Running, 0L, "pg-old"), (observedLeader.Pod, observedLeader.State, observedLeader.LagBytes, observedLeader.Revision));
        Assert.Equal("pg-new", observed.Members.Single(m => m.Pod == replicas[0].Name).Revision);
        Assert.Equal("pg-old", observed.Members.Single(m => m.Pod == replicas[1].Name).Revision);
        Assert.All(observed.Members.Where(m => !m.IsLeader), m => Assert.InRange(m.LagBytes!.Value, 0, 16L << 20));
        Assert.Equal(("pg-new", 3, false), (observed.UpdateRevision, observed.Replicas, observed.Paused));
        Assert.Equal(
            [new ObservedVolume("pgdata-pg-0", 0, "40Gi", "20Gi"), new ObservedVolume("pgdata-pg-1", 1, "40Gi", "40Gi"), new ObservedVolume("pgdata-pg-2", 2, "40Gi", null)],
            observed.Volumes.OrderBy(v => v.Ordinal));
        Assert.Equal([new RotatedCredential(CredentialRole.Replication, cluster.Settings.Credentials.Replication.Username)], observed.RotatedCredentials);
        Assert.Equal(cluster.Settings.Patroni.Ttl.ToString(System.Globalization.CultureInfo.InvariantCulture), observed.Configuration.Values["/ttl"].Text);
        Assert.Empty(_execs);

        // A member whose pod is gone (Patroni still lists it) is not counted: the plan is refused, naming it.
        _pods = _pods.Where(p => p.Metadata.Name != replicas[1].Name).ToList();
        var withoutPod = await observer.ObserveAsync(CancellationToken.None);
        Assert.DoesNotContain(withoutPod.Members, m => m.Pod == replicas[1].Name);
        var plan = DayTwoPlanner.Plan(withoutPod, DesiredState.From(cluster.Settings, podTemplateChanges: false) with { ClusterName = "pg" });
        Assert.Contains(plan.Refusals, r => r.ToString().Contains($"{replicas[1].Name} is not a Patroni member (its pod is missing", StringComparison.Ordinal));

        // A pod without the revision label: the rollout cannot tell what it runs, and says so.
        _pods = [Pod(leader.Name, "pg-old", primary: true), Pod(replicas[0].Name, null), Pod(replicas[1].Name, "pg-old")];
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => observer.ObserveAsync(CancellationToken.None));
        Assert.Contains($"pod {Ns}/{replicas[0].Name} has no label controller-revision-hash", e.Message, StringComparison.Ordinal);
        Assert.Contains("cannot tell which pod template it runs", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_superuser_Secret_ahead_of_the_role_falls_back_to_the_password_the_primary_started_with_and_says_so_when_it_cannot()
    {
        var (cluster, leader) = await StartAsync();
        await using var _ = cluster;
        _pods = cluster.Members.Select(m => Pod(m.Name, "pg-new", primary: m == leader)).ToList();
        _claims = [];
        // pulumi up updated the Secret; the role and the running containers still have the old password.
        var rotated = "rotated-" + Guid.NewGuid();
        _secrets[SecretNames.Superuser] = Secret(SecretNames.Superuser, "postgres", rotated);
        _exec = _ => (0, cluster.SuperuserPassword + "\n", string.Empty);
        var observer = Observer(cluster);

        var observed = await observer.ObserveAsync(CancellationToken.None);

        Assert.Equal([new RotatedCredential(CredentialRole.Superuser, "postgres")], observed.RotatedCredentials);
        Assert.Equal(3, observed.Members.Count);
        Assert.Contains(_execs, x => x.SequenceEqual([leader.Name, "postgres", "printenv", "PGPASSWORD_SUPERUSER"]));
        Assert.All(_execs, x => Assert.Equal(leader.Name, x[0]));

        // Exec not allowed: the error says what it needed and the fix, and holds no password.
        _exec = _ => (1, string.Empty, "pods \"pg-0\" is forbidden: cannot create resource \"pods/exec\"");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => observer.ObserveAsync(CancellationToken.None));
        output.WriteLine(e.Message);
        Assert.Contains($"could not read PGPASSWORD_SUPERUSER in {Ns}/{leader.Name}", e.Message, StringComparison.Ordinal);
        Assert.Contains("Allow pods/exec", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.SuperuserPassword, e.Message, StringComparison.Ordinal);

        // Neither password works: said so, naming the Secret.
        _exec = _ => (0, "not-the-password\n", string.Empty);
        e = await Assert.ThrowsAsync<InvalidOperationException>(() => observer.ObserveAsync(CancellationToken.None));
        Assert.Contains($"{leader.Name} refuses the superuser postgres both with the password in Secret {Ns}/pg-superuser and with the one its container started with",
            e.Message, StringComparison.Ordinal);
    }
}
