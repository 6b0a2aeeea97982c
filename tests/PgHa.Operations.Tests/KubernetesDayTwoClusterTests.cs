using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Moq;
using PgHa.Core.Patroni;
using PgHa.Operations.Access;
using PgHa.Operations.DayTwo;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.Tests;

/// <summary>The day-2 actions' Kubernetes calls (Moq on the client): pod deletion and its wait, PVC patch and its wait, scale, Deployment restart.</summary>
public sealed class KubernetesDayTwoClusterTests(ITestOutputHelper output)
{
    private const string Ns = "db";
    private readonly Mock<ICoreV1Operations> _core = new(MockBehavior.Strict);
    private readonly Mock<IAppsV1Operations> _apps = new(MockBehavior.Strict);
    private readonly List<string> _progress = [];

    private KubernetesDayTwoCluster Cluster(TimeProvider? time = null)
    {
        var client = new Mock<IKubernetes>(MockBehavior.Strict);
        client.SetupGet(c => c.CoreV1).Returns(_core.Object);
        client.SetupGet(c => c.AppsV1).Returns(_apps.Object);
        // No Patroni or PostgreSQL call is expected here: a strict access mock with nothing set up.
        var access = new Mock<IClusterAccess>(MockBehavior.Strict);
        return new KubernetesDayTwoCluster(client.Object, access.Object, new PatroniClient(new HttpClient()),
            new DayTwoTarget(Ns, "pg", null, new CredentialSecretNames("pg-superuser", "pg-replication", "pg-app", "pg-monitoring")), time);
    }

    private DayTwoWait Wait(int seconds) => new(TimeSpan.FromSeconds(seconds), line =>
    {
        _progress.Add(line);
        output.WriteLine(line);
    });

    private static V1Pod Pod(string name, string uid, string phase, string? waiting = null, string? unschedulable = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns, Uid = uid },
        Status = new V1PodStatus
        {
            Phase = phase,
            ContainerStatuses = waiting is null ? null : [new V1ContainerStatus { Name = "postgres", State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waiting, Message = "pulling" } } }],
            Conditions = unschedulable is null ? null : [new V1PodCondition { Type = "PodScheduled", Status = "False", Message = unschedulable }],
        },
    };

    private void ReadPod(Func<V1Pod?> answer) =>
        _core.Setup(c => c.ReadNamespacedPodWithHttpMessagesAsync("pg-1", Ns, It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => answer() is { } pod
                ? Task.FromResult(new HttpOperationResponse<V1Pod> { Body = pod })
                : throw new HttpOperationException("not found") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.NotFound), string.Empty) });

    private void DeletePod(Action deleted) =>
        _core.Setup(c => c.DeleteNamespacedPodWithHttpMessagesAsync("pg-1", Ns, It.IsAny<V1DeleteOptions>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(),
                It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                deleted();
                return Task.FromResult(new HttpOperationResponse<V1Pod> { Body = new V1Pod() });
            });

    /// <summary>Patroni publishes each member's api_url in its pod's status annotation: a leader on http cannot switch over to a member on https.</summary>
    [Theory]
    [InlineData("http", "https", true)]
    [InlineData("https", "http", true)]
    [InlineData("https", "https", false)]
    [InlineData("http", "http", false)]
    [InlineData(null, "https", false)]
    public async Task A_switchover_is_blocked_only_between_members_whose_rest_apis_serve_different_schemes(string? leaderScheme, string candidateScheme, bool blocked)
    {
        V1Pod Member(string name, string? scheme) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = Ns,
                Annotations = scheme is null ? null : new Dictionary<string, string>
                {
                    [PatroniApiScheme.StatusAnnotation] = $"{{\"conn_url\":\"postgres://10.0.0.1:5432/postgres\",\"api_url\":\"{scheme}://10.0.0.1:8008/patroni\",\"state\":\"running\"}}",
                },
            },
        };
        _core.Setup(c => c.ListNamespacedPodWithHttpMessagesAsync(Ns, It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(),
                It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HttpOperationResponse<V1PodList> { Body = new V1PodList { Items = [Member("pg-0", leaderScheme), Member("pg-1", candidateScheme)] } });

        var blocker = await Cluster().SwitchoverBlockerAsync("pg-0", "pg-1", CancellationToken.None);

        Assert.Equal(blocked, blocker is not null);
        if (blocked)
        {
            Assert.Equal($"pg-0's Patroni REST API serves {leaderScheme} and pg-1's {candidateScheme}: pg-0 cannot check pg-1 before stepping down", blocker);
        }
    }

    [Fact]
    public async Task Recreating_a_pod_deletes_it_once_and_waits_until_a_new_pod_of_that_name_runs()
    {
        var answers = new Answers<V1Pod?>(null, Pod("pg-1", "new", "Pending", waiting: "ContainerCreating"), Pod("pg-1", "new", "Running"));
        var deleted = 0;
        ReadPod(() => deleted == 0 ? Pod("pg-1", "old", "Running") : answers.Next());
        DeletePod(() => deleted++);

        await Cluster().RecreatePodAsync("pg-1", Wait(30), CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.True(answers.ServedLast, "the wait ended before the new pod ran");
    }

    [Fact]
    public async Task A_replacement_that_never_runs_ends_the_wait_saying_what_it_waited_for_and_what_it_saw()
    {
        var deleted = false;
        ReadPod(() => deleted
            ? Pod("pg-1", "new", "Pending", unschedulable: "0/3 nodes are available: 3 Insufficient memory.")
            : Pod("pg-1", "old", "Running"));
        DeletePod(() => deleted = true);

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Cluster().RecreatePodAsync("pg-1", Wait(1), CancellationToken.None));

        Assert.Contains("waiting for pg-1 to be recreated and running", e.Message, StringComparison.Ordinal);
        Assert.Contains("the new pg-1 is Pending (not scheduled: 0/3 nodes are available: 3 Insufficient memory.)", e.Message, StringComparison.Ordinal);
    }

    private static V1PersistentVolumeClaim Claim(string capacity, params string[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "pgdata-pg-0", NamespaceProperty = Ns },
        Spec = new V1PersistentVolumeClaimSpec { Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("40Gi") } } },
        Status = new V1PersistentVolumeClaimStatus
        {
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new(capacity) },
            Conditions = conditions.Select(c => new V1PersistentVolumeClaimCondition { Type = c, Status = "True" }).ToList(),
        },
    };

    private List<string> PatchClaim()
    {
        var bodies = new List<string>();
        _core.Setup(c => c.PatchNamespacedPersistentVolumeClaimWithHttpMessagesAsync(It.IsAny<V1Patch>(), "pgdata-pg-0", Ns, It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((V1Patch patch, string _, string _, string _, string _, string _, bool? _, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
            {
                Assert.Equal(V1Patch.PatchType.MergePatch, patch.Type);
                bodies.Add((string)patch.Content);
                return Task.FromResult(new HttpOperationResponse<V1PersistentVolumeClaim> { Body = Claim("20Gi") });
            });
        return bodies;
    }

    private void Events(params Corev1Event[] events) =>
        _core.Setup(c => c.ListNamespacedEventWithHttpMessagesAsync(Ns, It.IsAny<bool?>(), It.IsAny<string>(), "involvedObject.kind=PersistentVolumeClaim,involvedObject.name=pgdata-pg-0",
                It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(),
                It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new HttpOperationResponse<Corev1EventList> { Body = new Corev1EventList { Items = events.ToList() } });

    private void ReadClaim(Answers<V1PersistentVolumeClaim> answers) =>
        _core.Setup(c => c.ReadNamespacedPersistentVolumeClaimWithHttpMessagesAsync("pgdata-pg-0", Ns, It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => Task.FromResult(new HttpOperationResponse<V1PersistentVolumeClaim> { Body = answers.Next() }));

    [Fact]
    public async Task Growing_a_volume_patches_the_claim_and_waits_until_the_filesystem_has_grown()
    {
        var bodies = PatchClaim();
        Events();
        var answers = new Answers<V1PersistentVolumeClaim>(Claim("20Gi", "Resizing"), Claim("40Gi", "FileSystemResizePending"), Claim("40Gi"));
        ReadClaim(answers);

        await Cluster().GrowVolumeAsync("pgdata-pg-0", "40Gi", Wait(30), CancellationToken.None);

        Assert.Equal(["""{"spec":{"resources":{"requests":{"storage":"40Gi"}}}}"""], bodies);
        Assert.True(answers.ServedLast, "the wait ended before the filesystem had grown");
    }

    [Fact]
    public async Task A_resize_the_cloud_refuses_ends_the_wait_at_once_with_the_refusal_and_the_six_hour_limit()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        PatchClaim();
        Events(
            new Corev1Event { Reason = "VolumeResizeFailed", Message = "an old refusal", LastTimestamp = new DateTime(2026, 12, 1, 6, 0, 0, DateTimeKind.Utc), Metadata = new V1ObjectMeta(), InvolvedObject = new V1ObjectReference() },
            new Corev1Event
            {
                Reason = "VolumeResizeFailed",
                Message = "rpc error: You've reached the maximum modification rate per volume limit. Wait at least 6 hours between modifications per EBS volume.",
                LastTimestamp = new DateTime(2026, 12, 1, 12, 0, 1, DateTimeKind.Utc),
                Metadata = new V1ObjectMeta(),
                InvolvedObject = new V1ObjectReference(),
            });
        ReadClaim(new Answers<V1PersistentVolumeClaim>(Claim("20Gi", "Resizing")));

        var e = await Assert.ThrowsAsync<PgHa.Core.Waiting.FatalWaitException>(() => Cluster(time).GrowVolumeAsync("pgdata-pg-0", "40Gi", Wait(600), CancellationToken.None));

        Assert.Contains("pgdata-pg-0 was not resized: VolumeResizeFailed: rpc error: You've reached the maximum modification rate", e.Message, StringComparison.Ordinal);
        Assert.Contains("one modification per volume every six hours", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scaling_patches_the_replicas_and_waits_until_only_the_remaining_ordinals_have_pods()
    {
        var bodies = new List<string>();
        _apps.Setup(a => a.PatchNamespacedStatefulSetWithHttpMessagesAsync(It.IsAny<V1Patch>(), "pg", Ns, It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((V1Patch patch, string _, string _, string _, string _, string _, bool? _, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
            {
                bodies.Add((string)patch.Content);
                return Task.FromResult(new HttpOperationResponse<V1StatefulSet> { Body = new V1StatefulSet() });
            });
        var lists = new Answers<string[]>(["pg-0", "pg-1", "pg-2"], ["pg-0", "pg-1"]);
        _core.Setup(c => c.ListNamespacedPodWithHttpMessagesAsync(Ns, It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<int?>(),
                It.IsAny<string>(), It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<string>(), It.IsAny<int?>(), It.IsAny<bool?>(), It.IsAny<bool?>(),
                It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns(() => Task.FromResult(new HttpOperationResponse<V1PodList>
            {
                Body = new V1PodList { Items = lists.Next().Select(n => Pod(n, n, "Running")).ToList() },
            }));

        await Cluster().ScaleStatefulSetAsync(2, Wait(30), CancellationToken.None);

        Assert.Equal(["""{"spec":{"replicas":2}}"""], bodies);
        Assert.True(lists.ServedLast, "the wait ended while pg-2 still existed");
    }

    [Fact]
    public async Task Restarting_a_deployment_sets_the_restartedAt_annotation_of_its_pod_template()
    {
        var time = new FixedTime(new DateTimeOffset(2026, 12, 1, 12, 30, 5, TimeSpan.Zero));
        var bodies = new List<string>();
        _apps.Setup(a => a.PatchNamespacedDeploymentWithHttpMessagesAsync(It.IsAny<V1Patch>(), "api", "apps", It.IsAny<string>(), It.IsAny<string>(),
                It.IsAny<string>(), It.IsAny<bool?>(), It.IsAny<bool?>(), It.IsAny<IReadOnlyDictionary<string, IReadOnlyList<string>>>(), It.IsAny<CancellationToken>()))
            .Returns((V1Patch patch, string _, string _, string _, string _, string _, bool? _, bool? _, IReadOnlyDictionary<string, IReadOnlyList<string>> _, CancellationToken _) =>
            {
                Assert.Equal(V1Patch.PatchType.MergePatch, patch.Type);
                bodies.Add((string)patch.Content);
                return Task.FromResult(new HttpOperationResponse<V1Deployment> { Body = new V1Deployment() });
            });

        await Cluster(time).RestartDeploymentAsync("apps", "api", CancellationToken.None);

        Assert.Equal(["""{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-12-01T12:30:05Z"}}}}}"""], bodies);
    }

    /// <summary>A clock that always says the same time.</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>Answers given in order, the last one repeated; whether the last was reached.</summary>
    private sealed class Answers<T>(params T[] items)
    {
        private int _next;

        public bool ServedLast { get; private set; }

        public T Next()
        {
            var item = items[Math.Min(_next, items.Length - 1)];
            ServedLast |= _next >= items.Length - 1;
            _next++;
            return item;
        }
    }
}
