using PgHa.Core.DayTwo;
using PgHa.Core.Patroni;
using PgHa.Infra.Components;
using static PgHaInfra.Tests.RecordedInputs;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// Every <c>pulumi up</c> on a running cluster: for each common change of the settings, two runs of the program (before,
/// after) are compared the way pulumi-kubernetes decides on a replacement: at its force-new paths
/// (<see cref="ForceNewPaths"/>), after the engine kept each resource's ignoreChanges paths at their old values. No change
/// may replace the StatefulSet, a claim, a Secret, a Service or the ConfigMap the pods read; a change Patroni applies
/// live must not touch the pod template.
/// </summary>
[Collection(PulumiCollection.Name)]
public class DayTwoStackTests
{
    private const string SpiloConfigurationMap = "orders-spilo-configuration";

    /// <summary>The changes of issue 14's table: each a config before and after.</summary>
    private static readonly Dictionary<string, ((string Key, string? Value)[] Before, (string Key, string? Value)[] After)> Changes = new()
    {
        ["storage size 20Gi -> 40Gi"] = ([("pgha:storageSize", "20Gi")], [("pgha:storageSize", "40Gi")]),
        ["patroniTtl 20 -> 30"] = ([("pgha:patroniTtl", "20")], [("pgha:patroniTtl", "30")]),
        ["synchronousMode off -> strict"] = ([("pgha:synchronousMode", "off")], [("pgha:synchronousMode", "strict")]),
        ["maxSlotWalKeepSize 4GB -> 8GB"] = ([("pgha:maxSlotWalKeepSize", "4GB")], [("pgha:maxSlotWalKeepSize", "8GB")]),
        ["image tag"] = ([("pgha:image", "ghcr.io/zalando/spilo-17:4.0-p3")], [("pgha:image", "ghcr.io/zalando/spilo-17:4.0-p4")]),
        ["CPU and memory"] = ([], [("pgha:cpuRequest", "1"), ("pgha:memoryRequest", "2Gi"), ("pgha:memoryLimit", "4Gi")]),
        ["monitoring on"] = ([("pgha:monitoring", "false")], [("pgha:monitoring", "true")]),
        ["superuser password"] = ([], [("pgha:superuserPassword", "super-rotated-Pa55word")]),
        ["replication password"] = ([], [("pgha:replicationPassword", "repl-rotated-Pa55word")]),
        ["app password"] = ([], [("pgha:appPassword", "app-rotated-Pa55word")]),
        ["replicas 5 -> 3"] = ([("pgha:replicas", "5")], [("pgha:replicas", "3")]),
    };

    /// <summary>The changes Patroni applies live (PATCH /config): nothing in the pod template may change with them.</summary>
    private static readonly string[] DynamicOnly = ["patroniTtl 20 -> 30", "synchronousMode off -> strict", "maxSlotWalKeepSize 4GB -> 8GB"];

    public static TheoryData<string> ChangeNames => [.. Changes.Keys];

    public static TheoryData<string> DynamicChangeNames => [.. DynamicOnly];

    private sealed record Run(IReadOnlyList<RegisteredResource> Registered, IReadOnlyList<ObservedOptions> Options)
    {
        public IEnumerable<RegisteredResource> Guarded => Registered.Where(r => ForceNewPaths.Guarded.Contains(r.Type));

        public IReadOnlyList<string> IgnoredPaths(RegisteredResource resource) =>
            Options.SingleOrDefault(o => o.Type == resource.Type && o.Name == resource.Name)?.IgnoreChanges ?? [];

        public RegisteredResource StatefulSet => Assert.Single(Registered, r => r.Type == ForceNewPaths.StatefulSet);

        /// <summary>A flag of the Kubernetes provider (the SDK sends provider inputs as JSON text).</summary>
        public bool ProviderFlag(string name) =>
            Assert.Single(Registered, r => r.Type == "pulumi:providers:kubernetes").Inputs.GetValueOrDefault(name) is { } v
            && (v is true || v as string == "true");
    }

    private static async Task<(Run Before, Run After)> RunBothAsync(string change)
    {
        var (before, after) = Changes[change];
        var first = await RunObservingAsync(ValidConfig(before));
        var second = await RunObservingAsync(ValidConfig([.. before, .. after]));
        return (new Run(first.Registered, first.Options), new Run(second.Registered, second.Options));
    }

    [Theory]
    [MemberData(nameof(ChangeNames))]
    public async Task No_change_replaces_the_statefulset_a_claim_a_secret_a_service_or_the_configuration_map(string change)
    {
        var (before, after) = await RunBothAsync(change);

        // The change reaches the program's output somewhere: a comparison of two equal graphs would prove nothing.
        Assert.NotEqual(RecordedTree.Canonical(before.Registered.Select(r => r.Inputs).ToArray()),
            RecordedTree.Canonical(after.Registered.Select(r => r.Inputs).ToArray()));
        // No claim is a Pulumi resource: the StatefulSet creates them from its template, and Pulumi never replaces one.
        Assert.DoesNotContain(after.Registered, r => r.Type == ForceNewPaths.PersistentVolumeClaim);
        // Every one of them is still there under its type and name (a new URN is a delete and a create); a feature
        // turned on may add some.
        Assert.Subset(after.Guarded.Select(r => $"{r.Type} {r.Name}").ToHashSet(), before.Guarded.Select(r => $"{r.Type} {r.Name}").ToHashSet());

        var replaced = new List<string>();
        foreach (var then in before.Guarded)
        {
            var now = after.Guarded.Single(r => r.Type == then.Type && r.Name == then.Name);
            var applied = RecordedTree.WithOldValues(now.Inputs, then.Inputs, after.IgnoredPaths(now));
            var paths = ForceNewPaths.For(now.Type, after.ProviderFlag("enableSecretMutable"), after.ProviderFlag("enableConfigMapMutable")).ToList();
            if (now.Type == ForceNewPaths.StatefulSet)
            {
                // The claims are made from the template: what would replace a claim must not change there either.
                paths.AddRange(ForceNewPaths.For(ForceNewPaths.PersistentVolumeClaim, false, false).Skip(2)
                    .Select(p => "spec.volumeClaimTemplates[0]." + p));
            }

            replaced.AddRange(paths
                .Where(p => RecordedTree.Canonical(RecordedTree.At(then.Inputs, p)) != RecordedTree.Canonical(RecordedTree.At(applied, p)))
                .Select(p => $"{now.Type} {now.Name} at {p}"));
        }

        Assert.True(replaced.Count == 0, $"{change} replaces:\n  " + string.Join("\n  ", replaced));
    }

    [Theory]
    [MemberData(nameof(DynamicChangeNames))]
    public async Task A_setting_patroni_applies_live_leaves_the_pod_template_byte_identical(string change)
    {
        var (before, after) = await RunBothAsync(change);
        Assert.Equal(RecordedTree.Canonical(At(before.StatefulSet.Inputs, "spec", "template")),
            RecordedTree.Canonical(At(after.StatefulSet.Inputs, "spec", "template")));
        // The new value is carried to the pods' ConfigMap (a new cluster bootstraps with it; the rollout applies it live).
        string Configuration(Run run) => (string)At(Assert.Single(run.Registered, r => r.Type == ForceNewPaths.ConfigMap && Name(r) == SpiloConfigurationMap).Inputs,
            "data", SpiloEnvironment.ConfigurationVariable)!;
        Assert.NotEqual(Configuration(before), Configuration(after));
    }

    [Theory]
    [InlineData("image tag")]
    [InlineData("CPU and memory")]
    [InlineData("monitoring on")]
    [InlineData("superuser password")]
    [InlineData("replication password")]
    public async Task A_change_that_needs_a_restart_changes_the_pod_template_for_the_rollout_to_apply(string change)
    {
        var (before, after) = await RunBothAsync(change);
        Assert.NotEqual(RecordedTree.Canonical(At(before.StatefulSet.Inputs, "spec", "template")),
            RecordedTree.Canonical(At(after.StatefulSet.Inputs, "spec", "template")));
    }

    /// <summary>
    /// The members' passwords are part of the pod template as a version (a slow hash of their fingerprints), so members
    /// still on the old Secret are restarted even when a stopped run had already set the role's password; the app's
    /// password is not (the members do not use it), and no password is in the template.
    /// </summary>
    [Theory]
    [InlineData("superuser password", true)]
    [InlineData("replication password", true)]
    [InlineData("app password", false)]
    public async Task The_members_credentials_version_is_a_pod_template_annotation_without_any_password(string change, bool changesTemplate)
    {
        var (before, after) = await RunBothAsync(change);
        string Version(Run run) => (string)At(run.StatefulSet.Inputs, "spec", "template", "metadata", "annotations", CredentialVersions.PodTemplateAnnotation)!;
        Assert.Matches("^[0-9a-f]{64}$", Version(before));
        Assert.Equal(changesTemplate, Version(before) != Version(after));
        if (!changesTemplate)
        {
            Assert.Equal(RecordedTree.Canonical(At(before.StatefulSet.Inputs, "spec", "template")),
                RecordedTree.Canonical(At(after.StatefulSet.Inputs, "spec", "template")));
        }

        Assert.DoesNotContain("Pa55word", RecordedTree.Canonical(At(after.StatefulSet.Inputs, "spec", "template")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_local_patroni_parameter_changes_the_pod_template_through_its_fingerprint()
    {
        // archive_timeout is in Patroni's local postgresql section, read only at start.
        var backups = new (string, string?)[] { ("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true") };
        var before = await RunAsync(ValidConfig([.. backups, ("pgha:archiveTimeoutSeconds", "120")]));
        var after = await RunAsync(ValidConfig([.. backups, ("pgha:archiveTimeoutSeconds", "300")]));
        string Fingerprint(StackRun run) => (string)At(Assert.Single(run.OfType(ForceNewPaths.StatefulSet)).Inputs,
            "spec", "template", "metadata", "annotations", SpiloEnvironment.LocalConfigurationAnnotation)!;
        Assert.NotEqual(Fingerprint(before), Fingerprint(after));
    }

    [Fact]
    public async Task The_pods_read_the_patroni_configuration_from_the_configuration_map_and_restart_only_when_deleted()
    {
        var (_, run) = await RunBothAsync("replicas 5 -> 3");
        var statefulSet = run.StatefulSet;
        Assert.Equal("OnDelete", At(statefulSet.Inputs, "spec", "updateStrategy", "type"));
        // Member count and volume size are the rollout's after creation.
        Assert.Equal([PostgresStatefulSet.StatefulSetReplicasPath, PostgresStatefulSet.ClaimTemplateSizePath], run.IgnoredPaths(statefulSet));
        var postgres = List(At(statefulSet.Inputs, "spec", "template", "spec", "containers")).Single(c => (string?)At(c, "name") == "postgres");
        var variable = List(At(postgres, "env")).Single(e => (string?)At(e, "name") == SpiloEnvironment.ConfigurationVariable);
        Assert.Null(At(variable, "value"));
        Assert.Equal(SpiloConfigurationMap, At(variable, "valueFrom", "configMapKeyRef", "name"));
        Assert.Equal(SpiloEnvironment.ConfigurationVariable, At(variable, "valueFrom", "configMapKeyRef", "key"));
    }

    private const string Rollout = "pgha:index:ClusterRollout";

    [Fact]
    public async Task The_rollout_gets_the_desired_state_but_no_password_after_what_it_rolls_out_and_before_the_check()
    {
        var run = await RunAsync(ValidConfig(("pgha:storageSize", "40Gi"), ("pgha:appConfig", "ideaforge-ai-config"), ("pgha:appRestartDeployments", "backend")));
        var order = run.Registered.Select(r => $"{r.Type} {Name(r)}").ToList();
        var rolloutAt = order.FindIndex(o => o.StartsWith(Rollout, StringComparison.Ordinal));
        Assert.True(rolloutAt > order.FindIndex(o => o.StartsWith(ForceNewPaths.StatefulSet, StringComparison.Ordinal)), "the rollout runs after the StatefulSet is updated");
        Assert.True(rolloutAt > order.IndexOf($"{ForceNewPaths.ConfigMap} {SpiloConfigurationMap}"), "the rollout runs after the configuration map is updated");
        Assert.True(rolloutAt < order.FindIndex(o => o.StartsWith("pgha:index:ReplicationCheck", StringComparison.Ordinal)), "the check verifies after the rollout");

        var rollout = Assert.Single(run.OfType(Rollout)).Inputs;
        Assert.Equal("40Gi", rollout["storageSize"]);
        Assert.Equal(3, Convert.ToInt32(rollout["replicas"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("orders", rollout["statefulSetName"]);
        Assert.Equal("20", PgHa.Core.DayTwo.LivePatroniConfiguration.FromJson((string)rollout["patroniConfiguration"]).Values["/ttl"].Text);
        Assert.Equal(["team-db/backend"], List(rollout["appDeployments"]).Cast<string>());
        Assert.Matches("^[0-9a-f]{64}$", (string)rollout["podTemplateHash"]);
        Assert.Equal(["app", "replication", "superuser"],
            System.Text.Json.JsonDocument.Parse((string)rollout["credentialVersions"]).RootElement.EnumerateObject().Select(p => p.Name).Order());
        Assert.DoesNotContain("Pa55word", RecordedTree.Canonical(rollout), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("patroniTtl 20 -> 30", "patroniConfiguration", "podTemplateHash")]
    [InlineData("image tag", "podTemplateHash", "patroniConfiguration")]
    [InlineData("storage size 20Gi -> 40Gi", "storageSize", "podTemplateHash")]
    [InlineData("replication password", "credentialVersions", "patroniConfiguration")]
    [InlineData("replication password", "podTemplateHash", "patroniConfiguration")]
    [InlineData("superuser password", "podTemplateHash", "storageSize")]
    [InlineData("app password", "credentialVersions", "podTemplateHash")]
    [InlineData("replicas 5 -> 3", "replicas", "podTemplateHash")]
    public async Task Each_change_reaches_the_rollout_as_the_input_it_is_planned_from(string change, string changed, string unchanged)
    {
        var (before, after) = await RunBothAsync(change);
        object Input(Run run, string name) => Assert.Single(run.Registered, r => r.Type == Rollout).Inputs[name];
        Assert.NotEqual(RecordedTree.Canonical(Input(before, changed)), RecordedTree.Canonical(Input(after, changed)));
        Assert.Equal(RecordedTree.Canonical(Input(before, unchanged)), RecordedTree.Canonical(Input(after, unchanged)));
    }
}
