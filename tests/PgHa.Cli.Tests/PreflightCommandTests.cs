using PgHa.Cli;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;

namespace PgHa.Cli.Tests;

/// <summary>
/// <c>pgha preflight</c>: the stack's settings against what its cluster holds (the reading replaced by snapshots; the
/// reader itself is tested against the Kubernetes API in PgHa.Operations.Tests). Exit 0 healthy, 1 problems, 2 arguments.
/// </summary>
public sealed class PreflightCommandTests : IDisposable
{
    private readonly string _stacks = Directory.CreateTempSubdirectory("pgha-preflight-").FullName;

    public PreflightCommandTests()
    {
        File.WriteAllText(Path.Combine(_stacks, "Pulumi.ci.yaml"), """
            config:
              pgha:kubeContext: ci-cluster
              pgha:namespace: team-db
              pgha:clusterName: orders
              pgha:platform: generic
              pgha:storageClassName: standard
              pgha:appConfig: app-config
              pgha:appRestartDeployments: backend
            """);
    }

    public void Dispose() => Directory.Delete(_stacks, recursive: true);

    private static IClusterAccess NeverOpened(ClusterTarget target, KubeconfigFiles kubeconfig) => throw new InvalidOperationException($"the cluster {target} must not be opened");

    /// <summary>Records what the command asked to read and answers with <paramref name="answer"/>.</summary>
    private sealed class ClusterReads(Func<PgHaSettings, ClusterSnapshot> answer)
    {
        public List<(ClusterTarget Target, PgHaSettings Settings)> Calls { get; } = [];

        public Task<ClusterSnapshot> Read(ClusterTarget target, PgHaSettings settings, CancellationToken cancellationToken)
        {
            Calls.Add((target, settings));
            return Task.FromResult(answer(settings));
        }
    }

    private static async Task<CliResult> Run(string stackDirectory, PreflightClusterReader read, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PghaCli.RunAsync(args, NeverOpened, output, error, new StringReader(""), stackDirectory, readCluster: read);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>
    /// A cluster with what the settings name: the namespace, on generic an expandable class (on eks the stack creates its
    /// own), the EBS CSI driver, three usable nodes, the app's objects.
    /// </summary>
    private static ClusterSnapshot Healthy(PgHaSettings settings)
    {
        var none = new Dictionary<string, string>();
        var reads = PreflightReads.For(settings);
        return new ClusterSnapshot
        {
            Namespace = new ObservedObject(null, settings.Cluster.Namespace, none),
            StorageClasses = settings.Cluster.Platform == Platform.Generic
                ? [new ObservedStorageClass(settings.Storage.StorageClassName, "example.com/disk", true, none)]
                : [],
            CsiDrivers = [PreflightReads.EbsCsiDriver],
            Nodes = new[] { "a", "b", "c" }.Select(z => new ObservedNode($"node-{z}", $"node-{z}", $"zone-{z}", true, false, [], 4m, 16m * 1024 * 1024 * 1024)).ToArray(),
            ConfigMaps = reads.ConfigMaps.Select(c => new ObservedObject(c.Namespace, c.Name, none)).ToArray(),
            Deployments = reads.Deployments.Select(d => new ObservedObject(d.Namespace, d.Name, none)).ToArray(),
        };
    }

    [Fact]
    public async Task A_healthy_cluster_exits_0_after_reading_the_stacks_cluster()
    {
        var reads = new ClusterReads(Healthy);
        var result = await Run(_stacks, reads.Read, "preflight", "--stack", "ci");

        Assert.True(result.ExitCode == PghaCli.Ok, result.ToString());
        Assert.Equal("preflight of stack ci (team-db/orders, kubeconfig context ci-cluster): no problem" + Environment.NewLine, result.Output);
        var (target, settings) = Assert.Single(reads.Calls);
        Assert.Equal("ci-cluster", target.KubeContext);
        Assert.Equal(("team-db", "app-config"), (settings.Cluster.Namespace, settings.AppConfig!.ConfigMap));
    }

    [Fact]
    public async Task Problems_exit_1_and_each_is_printed_with_its_object_key_and_fix()
    {
        var reads = new ClusterReads(s => Healthy(s) with
        {
            ConfigMaps = [],
            StorageClasses = [new ObservedStorageClass("standard", "example.com/disk", null, new Dictionary<string, string>())],
            Unread = [new UnreadArea(ReadArea.Nodes, "list nodes", "403 Forbidden")],
        });
        var result = await Run(_stacks, reads.Read, "preflight", "--stack", "ci");

        Assert.True(result.ExitCode == PghaCli.Unhealthy, result.ToString());
        var lines = result.Output.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("preflight of stack ci (team-db/orders, kubeconfig context ci-cluster): 2 problem(s), 1 warning(s)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  problem: StorageClass standard (pgha:storageClassName = \"standard\"): does not allow volume expansion", StringComparison.Ordinal)
            && l.Contains("Fix: kubectl patch storageclass standard", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  problem: ConfigMap team-db/app-config (pgha:appConfig = \"app-config\"): does not exist", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  warning: list nodes (pgha:preflight = \"true\"): not checked", StringComparison.Ordinal));
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task Context_overrides_the_stacks_cluster()
    {
        var reads = new ClusterReads(Healthy);
        Assert.Equal(PghaCli.Ok, (await Run(_stacks, reads.Read, "preflight", "--stack", "ci", "--context", "other")).ExitCode);
        Assert.Equal("other", Assert.Single(reads.Calls).Target.KubeContext);
    }

    [Theory]
    [InlineData("pass --stack <stack>", "preflight")]
    [InlineData("pass --stack <stack>", "preflight", "--namespace", "team-db")]
    [InlineData("do not also pass --namespace", "preflight", "--stack", "ci", "--namespace", "team-db")]
    [InlineData("Pulumi.nope.yaml does not exist", "preflight", "--stack", "nope")]
    public async Task Wrong_arguments_exit_2_without_reading_the_cluster(string message, params string[] args)
    {
        var reads = new ClusterReads(Healthy);
        var result = await Run(_stacks, reads.Read, args);
        Assert.True(result.ExitCode == PghaCli.Usage, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(reads.Calls);
    }

    [Fact]
    public async Task A_cluster_that_cannot_be_read_exits_1_saying_why()
    {
        var result = await Run(_stacks, (_, _, _) => throw new TimeoutException("the Kubernetes API of kubeconfig context ci-cluster did not answer within 120 s (waiting to list nodes)."),
            "preflight", "--stack", "ci");
        Assert.Equal(PghaCli.Unhealthy, result.ExitCode);
        Assert.Contains("the preflight could not read the cluster", result.Error, StringComparison.Ordinal);
        Assert.Contains("waiting to list nodes", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_committed_dev_stack_needs_the_backend_deployment_in_its_namespace()
    {
        var reads = new ClusterReads(s => Healthy(s) with { Deployments = [] });
        var result = await Run(CliRun.RepositoryRoot, reads.Read, "preflight", "--stack", "dev", "--context", "dev-admin");

        Assert.True(result.ExitCode == PghaCli.Unhealthy, result.ToString());
        Assert.Contains("problem: Deployment 20890-ideaforge-ai-dev-58a50/backend (pgha:appRestartDeployments = \"backend\"): does not exist", result.Output, StringComparison.Ordinal);
        Assert.Equal(PghaCli.Ok, (await Run(CliRun.RepositoryRoot, new ClusterReads(Healthy).Read, "preflight", "--stack", "dev", "--context", "dev-admin")).ExitCode);
    }
}
