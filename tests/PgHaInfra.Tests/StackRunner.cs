using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Text.Json;
using Moq;
using PgHa.Operations.Kubernetes;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using PgHa.Infra;
using Pulumi;
using Pulumi.Testing;

namespace PgHaInfra.Tests;

/// <summary>Runs <see cref="PgHaProgram.RunAsync()"/> against a Moq engine mock with the given stack config.</summary>
public static class StackRunner
{
    public const string AppPassword = "app-Pa55word-never-in-clear";

    /// <summary>The CA and server key the mocked ClusterCertificates resource holds.</summary>
    public const string MockCaCertificate = "-----BEGIN CERTIFICATE-----\nMOCK-CA\n-----END CERTIFICATE-----\n";
    public const string MockServerKey = "-----BEGIN PRIVATE KEY-----\nMOCK-SERVER-KEY-never-in-clear\n-----END PRIVATE KEY-----\n";
    /// <summary>The server certificate the mocked ClusterCertificates resource holds; a test sets another one to stand for a renewal.</summary>
    public const string MockServerCertificate = "-----BEGIN CERTIFICATE-----\nMOCK-SERVER\n-----END CERTIFICATE-----\n";
    public static readonly AsyncLocal<string?> RenewedServerCertificate = new();

    public const string MockOperatorKey = "-----BEGIN PRIVATE KEY-----\nMOCK-OPERATOR-KEY-never-in-clear\n-----END PRIVATE KEY-----\n";

    /// <summary>The password and version the mocked GeneratedPassword resource holds (the monitoring role's).</summary>
    public const string MockMonitoringPassword = "MOCK-monitoring-Pa55word-never-in-clear";
    public const string MockMonitoringPasswordVersion = "0f1e2d3c4b5a6978";

    /// <summary>The OIDC issuer the mocked EKS cluster reports.</summary>
    public const string OidcIssuer = "https://oidc.eks.eu-central-1.amazonaws.com/id/PRODCLUSTER";

    /// <summary>A valid config with <paramref name="changes"/> applied (a null value removes the key).</summary>
    public static Dictionary<string, string> ValidConfig(params (string Key, string? Value)[] changes) =>
        DictionaryStackConfig.With(ValidConfig(), changes);

    public static Dictionary<string, string> ValidConfig() => new()
    {
        ["pgha:namespace"] = "team-db",
        ["pgha:clusterName"] = "orders",
        ["pgha:kubeContext"] = "dev-cluster",
        ["aws:region"] = "eu-central-1",
        ["pgha:database"] = "agentic_pm_db",
        ["pgha:appUser"] = "agentic_pm",
        ["pgha:superuserPassword"] = "super-Pa55word-never-in-clear",
        ["pgha:replicationPassword"] = "repl-Pa55word-never-in-clear",
        ["pgha:appPassword"] = AppPassword,
    };

    /// <summary>
    /// One run of the program. <paramref name="readCluster"/> stands in for reading the cluster in the preflight (default:
    /// a cluster with everything the settings need, <see cref="ClusterWithEverythingNeeded"/>); <paramref name="warnings"/>
    /// collects what the program logs as warnings.
    /// </summary>
    public static async Task<StackRun> RunAsync(Dictionary<string, string> config, bool isPreview = false,
        Func<KubeconfigTarget, PgHaSettings, Task<ClusterSnapshot>>? readCluster = null, List<string>? warnings = null)
    {
        var (run, error) = await TryRunAsync(config, isPreview, readCluster, warnings);
        return error is null ? run : throw error;
    }

    /// <summary>Like <see cref="RunAsync"/>, but a failed run returns its error with what was registered before it.</summary>
    public static async Task<(StackRun Run, Exception? Error)> TryRunAsync(Dictionary<string, string> config, bool isPreview = false,
        Func<KubeconfigTarget, PgHaSettings, Task<ClusterSnapshot>>? readCluster = null, List<string>? warnings = null)
    {
        readCluster ??= (_, settings) => Task.FromResult(ClusterWithEverythingNeeded(settings));
        var logged = warnings ?? [];
        var registered = new ConcurrentQueue<RegisteredResource>();
        var invokes = new ConcurrentQueue<string>();
        var outputsRegistered = new ConcurrentQueue<(string Urn, IReadOnlyList<string> Names)>();
        var mocks = Engine(registered, invokes, outputsRegistered);
        using var _ = WithConfig(config);
        try
        {
            var (resources, outputs) = await Deployment.TestAsync(mocks.Object,
                new TestOptions { IsPreview = isPreview, ProjectName = "pgha", StackName = "test" },
                () => PgHaProgram.RunAsync(readCluster, message => { lock (logged) { logged.Add(message); } }));
            return (Run(resources, outputs, registered, invokes, outputsRegistered), null);
        }
        catch (Exception e) when (e is RunException or AggregateException)
        {
            return (Run([], new Dictionary<string, object?>(), registered, invokes, outputsRegistered), e);
        }
    }

    private static StackRun Run(ImmutableArray<Resource> resources, IDictionary<string, object?> outputs, ConcurrentQueue<RegisteredResource> registered,
        ConcurrentQueue<string> invokes, ConcurrentQueue<(string Urn, IReadOnlyList<string> Names)> outputsRegistered) =>
        new(resources, outputs, registered.ToArray(), invokes.ToArray(), outputsRegistered.Select(o => o.Urn).ToArray(),
            outputsRegistered.ToDictionary(o => o.Urn, o => o.Names, StringComparer.Ordinal));

    /// <summary>
    /// The resource options each resource was registered with (protect, retainOnDelete), which the engine mock does
    /// not record: the program runs inside <see cref="ObservedStack"/>, whose transformation sees every resource.
    /// </summary>
    public static async Task<IReadOnlyList<ObservedOptions>> RunObservingOptionsAsync(Dictionary<string, string> config) =>
        (await RunObservingAsync(config)).Options;

    /// <summary>Like <see cref="RunObservingOptionsAsync"/>, with the inputs the engine mock recorded in the same run.</summary>
    public static async Task<(IReadOnlyList<RegisteredResource> Registered, IReadOnlyList<ObservedOptions> Options)> RunObservingAsync(Dictionary<string, string> config)
    {
        var observed = new ConcurrentQueue<SeenResource>();
        var registered = new ConcurrentQueue<RegisteredResource>();
        var mocks = Engine(registered, new ConcurrentQueue<string>(), new ConcurrentQueue<(string, IReadOnlyList<string>)>());
        using var _ = WithConfig(config);
        ObservedStack.Sink = observed;
        ObservedStack.ReadCluster = (_, settings) => Task.FromResult(ClusterWithEverythingNeeded(settings));
        try
        {
            await Deployment.TestAsync<ObservedStack>(mocks.Object, new TestOptions { ProjectName = "pgha", StackName = "test" });
        }
        finally
        {
            ObservedStack.Sink = null;
            ObservedStack.ReadCluster = null;
        }

        var result = new List<ObservedOptions>();
        foreach (var seen in observed)
        {
            var id = seen.Id is null ? null : await Pulumi.Utilities.OutputUtilities.GetValueAsync(seen.Id.ToOutput());
            result.Add(new ObservedOptions(seen.Type, seen.Name, seen.Protect, seen.RetainOnDelete, IsRead: !string.IsNullOrEmpty(id), seen.IgnoreChanges));
        }

        return (registered.ToArray(), result);
    }

    /// <summary>Sets the stack config (and which keys are secret) for one run; disposing clears it.</summary>
    private static IDisposable WithConfig(Dictionary<string, string> config)
    {
        var secretKeys = config.Keys.Where(k => k.EndsWith("Password", StringComparison.Ordinal)).ToArray();
        Environment.SetEnvironmentVariable("PULUMI_CONFIG", JsonSerializer.Serialize(config));
        Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", JsonSerializer.Serialize(secretKeys));
        return new ConfigReset();
    }

    private sealed class ConfigReset : IDisposable
    {
        public void Dispose()
        {
            Environment.SetEnvironmentVariable("PULUMI_CONFIG", null);
            Environment.SetEnvironmentVariable("PULUMI_CONFIG_SECRET_KEYS", null);
        }
    }

    /// <summary>The engine mock: records what registers, answers invokes as AWS would, computes provider outputs.</summary>
    private static Mock<IMocks> Engine(ConcurrentQueue<RegisteredResource> registered, ConcurrentQueue<string> invokes,
        ConcurrentQueue<(string Urn, IReadOnlyList<string> Names)> outputsRegistered)
    {
        var mocks = new Mock<IMocks>(MockBehavior.Strict);
        mocks.Setup(m => m.NewResourceAsync(It.IsAny<MockResourceArgs>()))
            .Returns(async (MockResourceArgs args) =>
            {
                if (args.Type == "kubernetes:core/v1:Service")
                {
                    // Services take a moment, so a resource that does not wait for them would overtake them.
                    await Task.Delay(200);
                }

                registered.Enqueue(new RegisteredResource(args.Type!, args.Name!, args.Inputs, args.Provider));
                return ($"{args.Name}-id", (object)State(args));
            });
        mocks.Setup(m => m.CallAsync(It.IsAny<MockCallArgs>()))
            .Returns((MockCallArgs args) =>
            {
                invokes.Enqueue(args.Token!);
                return Task.FromResult<object>(args.Token switch
                {
                    "aws:eks/getCluster:getCluster" => new Dictionary<string, object>
                    {
                        ["name"] = args.Args["name"],
                        ["arn"] = "arn:aws:eks:eu-central-1:123456789012:cluster/prod",
                        ["endpoint"] = "https://PROD.gr7.eu-central-1.eks.amazonaws.com",
                        ["certificateAuthorities"] = new object[] { new Dictionary<string, object> { ["data"] = "Q0EtREFUQQ==" } },
                        ["identities"] = new object[]
                        {
                            new Dictionary<string, object>
                            {
                                ["oidcs"] = new object[] { new Dictionary<string, object> { ["issuer"] = OidcIssuer } },
                            },
                        },
                    },
                    // IAM keys the provider by the issuer's host and path.
                    "aws:iam/getOpenIdConnectProvider:getOpenIdConnectProvider" => new Dictionary<string, object>
                    {
                        ["arn"] = "arn:aws:iam::123456789012:oidc-provider/" + ((string)args.Args["url"]).Replace("https://", string.Empty, StringComparison.Ordinal),
                        ["url"] = args.Args["url"],
                    },
                    _ => throw new InvalidOperationException($"unexpected invoke {args.Token}"),
                });
            });
        mocks.Setup(m => m.RegisterResourceOutputs(It.IsAny<MockRegisterResourceOutputsRequest>()))
            .Returns((MockRegisterResourceOutputsRequest request) =>
            {
                outputsRegistered.Enqueue((request.Urn, request.Outputs.Keys.Order(StringComparer.Ordinal).ToArray()));
                return Task.CompletedTask;
            });

        return mocks;
    }

    /// <summary>Resource state = its inputs, plus what a provider would compute (a KMS ARN, an existing Secret's data).</summary>
    private static ImmutableDictionary<string, object> State(MockResourceArgs args)
    {
        var state = args.Inputs;
        if (args.Type == "aws:kms/key:Key")
        {
            state = state.SetItem("arn", $"arn:aws:kms:eu-central-1:123456789012:key/{args.Name}");
        }

        if (args.Type == "aws:s3/bucket:Bucket")
        {
            state = state.SetItem("arn", $"arn:aws:s3:::{args.Name}-id");
        }

        if (args.Type == "aws:iam/role:Role")
        {
            state = state.SetItem("arn", $"arn:aws:iam::123456789012:role/{args.Name}").SetItem("name", args.Name!);
        }

        if (args.Type == "kubernetes:apps/v1:StatefulSet")
        {
            var metadata = new Dictionary<string, object>((IDictionary<string, object>)state["metadata"])
            {
                ["uid"] = "0b1c-uid",
                ["generation"] = 4,
            };
            state = state.SetItem("metadata", metadata);
        }

        if (args.Type == "pgha:index:ClusterRollout")
        {
            state = state
                .SetItem("appliedPodTemplateHash", args.Inputs["podTemplateHash"])
                .SetItem("primary", "orders-0")
                .SetItem("lastPlan", new object[] { "nothing to roll out" })
                .SetItem("appliedAt", "2026-11-25T11:58:00Z");
        }

        if (args.Type == "pgha:index:ClusterCertificates")
        {
            // What the provider keeps in state: the same certificates on every run until renewal (fixed here, as the
            // engine returns them for an unchanged resource).
            state = state
                .SetItem("caCertificate", MockCaCertificate)
                .SetItem("caPrivateKey", "-----BEGIN PRIVATE KEY-----\nMOCK-CA-KEY\n-----END PRIVATE KEY-----\n")
                .SetItem("certificate", RenewedServerCertificate.Value ?? MockServerCertificate)
                .SetItem("privateKey", MockServerKey)
                .SetItem("notAfter", "2027-12-01T12:00:00.0000000+00:00")
                .SetItem("caNotAfter", "2036-11-29T12:00:00.0000000+00:00")
                .SetItem("operatorCertificate", "-----BEGIN CERTIFICATE-----\nMOCK-OPERATOR\n-----END CERTIFICATE-----\n")
                .SetItem("operatorPrivateKey", MockOperatorKey);
        }

        if (args.Type == "pgha:index:GeneratedPassword")
        {
            // What the provider keeps in state: the same password on every run.
            state = state.SetItem("password", MockMonitoringPassword).SetItem("version", MockMonitoringPasswordVersion);
        }

        if (args.Type == "pgha:index:ReplicationCheck")
        {
            state = state
                .SetItem("primary", "orders-0")
                .SetItem("replicas", new object[] { new Dictionary<string, object> { ["name"] = "orders-1", ["state"] = "streaming" } })
                .SetItem("slotNames", new object[] { "orders_1", "orders_2" })
                .SetItem("timeline", 1)
                .SetItem("checkedAt", "2026-11-25T12:00:00Z");
            if (args.Inputs.TryGetValue("expectArchiving", out var archiving) && archiving is true)
            {
                state = state.SetItem("archiving", "archived 12 (last 000000010000000000000005 at 2026-11-25 11:59:00Z), failed 0 (last none at never)");
            }

            if (args.Inputs.ContainsKey("reportDatabase"))
            {
                state = state.SetItem("migration", new Dictionary<string, object> { ["tables"] = 25, ["rows"] = 1234, ["durationSeconds"] = 9 });
            }
        }

        if (args.Type == "kubernetes:core/v1:Secret" && args.Id is not null)
        {
            // A read of an existing Secret (Secret.Get).
            state = state.SetItem("data", new Dictionary<string, object>
            {
                ["username"] = Convert.ToBase64String("existing_user"u8.ToArray()),
                ["password"] = Convert.ToBase64String("existing-Pa55word"u8.ToArray()),
            });
        }

        return state;
    }

    /// <summary>
    /// A cluster in which the preflight finds nothing wrong for <paramref name="settings"/>: the namespace (unless the
    /// stack creates it), the StorageClass of a generic platform, the EBS CSI driver, nine usable nodes over three zones,
    /// the monitoring CRDs, and every ConfigMap, Deployment and Secret the settings name, with the keys they need.
    /// </summary>
    public static ClusterSnapshot ClusterWithEverythingNeeded(PgHaSettings settings)
    {
        var reads = PreflightReads.For(settings);
        var none = new Dictionary<string, string>();
        return new ClusterSnapshot
        {
            Namespace = settings.Cluster.CreateNamespace ? null : new ObservedObject(null, settings.Cluster.Namespace, none),
            StorageClasses = settings.Cluster.Platform == Platform.Generic
                ? [new ObservedStorageClass(settings.Storage.StorageClassName, "rancher.io/local-path", true, none)]
                : [],
            CsiDrivers = [PreflightReads.EbsCsiDriver],
            Nodes = Enumerable.Range(0, 9).Select(i => new ObservedNode($"node-{i}", $"node-{i}", $"eu-central-1{(char)('a' + (i % 3))}",
                Ready: true, Unschedulable: false, [], 8m, 32m * 1024 * 1024 * 1024)).ToArray(),
            CustomResourceDefinitions = reads.CustomResourceDefinitions.Select(c => c.Name).ToArray(),
            ConfigMaps = reads.ConfigMaps.Select(c => new ObservedObject(c.Namespace, c.Name, none)).ToArray(),
            Deployments = reads.Deployments.Select(d => new ObservedObject(d.Namespace, d.Name, none)).ToArray(),
            Secrets = reads.Secrets.Select(s => new ObservedSecret(s.Namespace, s.Name, s.RequiredKeys, s.RequiredUsername ?? "existing_user")).ToArray(),
        };
    }

    public static Task<T> ValueOf<T>(Output<T> output) => Pulumi.Utilities.OutputUtilities.GetValueAsync(output);
}
