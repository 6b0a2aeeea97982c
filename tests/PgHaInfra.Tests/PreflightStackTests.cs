using PgHa.Operations.Kubernetes;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using PgHa.Infra;
using Pulumi;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// The preflight inside the program: it reads the cluster the stack targets (the same context, or the same EKS
/// kubeconfig as the provider) before the first resource, a problem stops the run with nothing registered, and
/// pgha:preflight false skips it with a warning.
/// </summary>
[Collection(PulumiCollection.Name)]
public class PreflightStackTests
{
    /// <summary>Records what the preflight was asked to read, and answers with <paramref name="answer"/>.</summary>
    private sealed class ClusterReads(Func<PgHaSettings, ClusterSnapshot> answer)
    {
        public List<KubeconfigTarget> Targets { get; } = [];

        public Task<ClusterSnapshot> Read(KubeconfigTarget target, PgHaSettings settings)
        {
            Targets.Add(target);
            return Task.FromResult(answer(settings));
        }
    }

    private static ClusterSnapshot WithoutNamespaceOrNodes(PgHaSettings settings) =>
        ClusterWithEverythingNeeded(settings) with { Namespace = null, Nodes = [] };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_preflight_stops_preview_and_up_before_any_resource_listing_every_problem(bool isPreview)
    {
        var reads = new ClusterReads(WithoutNamespaceOrNodes);
        var (run, error) = await TryRunAsync(ValidConfig(), isPreview, reads.Read);

        Assert.IsType<RunException>(error);
        Assert.Empty(run.Registered);
        Assert.StartsWith("The preflight found 2 problem(s) in the target cluster (kubeconfig context dev-cluster); nothing was created:", error.Message, StringComparison.Ordinal);
        Assert.Contains("  - Namespace team-db (pgha:namespace = \"team-db\"): does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("  - nodes (pgha:replicas = \"3\"):", error.Message, StringComparison.Ordinal);
        // It read the cluster the stack deploys to: the configured context.
        Assert.Equal("dev-cluster", Assert.Single(reads.Targets).Context);
    }

    [Fact]
    public async Task On_eks_the_preflight_reads_with_the_kubeconfig_the_provider_gets_and_a_failure_creates_nothing()
    {
        var config = ValidConfig(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"));
        var failing = new ClusterReads(WithoutNamespaceOrNodes);
        var (failed, error) = await TryRunAsync(config, readCluster: failing.Read);

        Assert.NotNull(error);
        Assert.Empty(failed.Registered);
        // The lookup ran (an invoke, not a resource), and the preflight got the kubeconfig rendered from it.
        Assert.Contains("aws:eks/getCluster:getCluster", failed.Invokes);
        Assert.Contains("(EKS cluster prod)", error.Message, StringComparison.Ordinal);
        var target = Assert.Single(failing.Targets);
        Assert.Null(target.Context);
        Assert.Contains("server: https://PROD.gr7.eu-central-1.eks.amazonaws.com", target.Kubeconfig, StringComparison.Ordinal);
        Assert.DoesNotContain("PROD.gr7", target.ToString(), StringComparison.Ordinal);

        var healthy = new ClusterReads(ClusterWithEverythingNeeded);
        var run = await RunAsync(config, readCluster: healthy.Read);
        var provider = Assert.Single(run.OfType("pulumi:providers:kubernetes"));
        Assert.Equal(Assert.Single(healthy.Targets).Kubeconfig, provider.Inputs["kubeconfig"] as string);
    }

    [Fact]
    public async Task A_healthy_cluster_passes_and_the_stack_is_built_with_the_preflights_warnings_logged()
    {
        var reads = new ClusterReads(settings => ClusterWithEverythingNeeded(settings) with
        {
            Unread = [new UnreadArea(ReadArea.Nodes, "list nodes", "403 Forbidden")],
        });
        var warnings = new List<string>();
        var run = await RunAsync(ValidConfig(), readCluster: reads.Read, warnings: warnings);

        Assert.Single(reads.Targets);
        Assert.Single(run.OfType("kubernetes:apps/v1:StatefulSet"));
        var warning = Assert.Single(warnings);
        Assert.StartsWith("preflight: list nodes (pgha:preflight = \"true\"): not checked", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Preflight_false_skips_reading_the_cluster_and_says_so()
    {
        var reads = new ClusterReads(WithoutNamespaceOrNodes);
        var warnings = new List<string>();
        var run = await RunAsync(ValidConfig(("pgha:preflight", "false")), isPreview: true, readCluster: reads.Read, warnings: warnings);

        Assert.Empty(reads.Targets);
        Assert.Equal(["preflight skipped (pgha:preflight=false)"], warnings);
        Assert.Single(run.OfType("kubernetes:apps/v1:StatefulSet"));
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_read_stops_the_run_with_how_to_reach_it_or_skip()
    {
        var (run, error) = await TryRunAsync(ValidConfig(),
            readCluster: (_, _) => throw new TimeoutException("the Kubernetes API of kubeconfig context dev-cluster did not answer within 120 s (waiting to list nodes)."));

        Assert.IsType<RunException>(error);
        Assert.Empty(run.Registered);
        Assert.Contains("The preflight could not read the target cluster (kubeconfig context dev-cluster)", error.Message, StringComparison.Ordinal);
        Assert.Contains("waiting to list nodes", error.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl --context dev-cluster get namespaces", error.Message, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:preflight false", error.Message, StringComparison.Ordinal);
    }
}
