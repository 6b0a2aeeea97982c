using PgHa.Cli;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;
using PgHa.Testing;

namespace PgHa.Cli.Tests;

/// <summary>Wrong arguments: exit code 2, a message that says what to pass, and the cluster is never touched.</summary>
public class ArgumentTests
{
    private static IClusterAccess NeverOpened(ClusterTarget target, KubeconfigFiles kubeconfig) =>
        throw new InvalidOperationException($"the cluster {target} must not be opened");

    private static Task<CliResult> Run(params string[] args) => CliRun.RunAsync(NeverOpened, "", args);

    [Fact]
    public async Task Without_a_cluster_it_says_how_to_name_one()
    {
        var result = await Run("status");
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.Contains("--stack <stack>", result.Error, StringComparison.Ordinal);
        Assert.Contains("--namespace <namespace>", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stack_and_namespace_together_are_refused()
    {
        var result = await Run("status", "--stack", "dev", "--namespace", "x");
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.Contains("do not also pass --namespace", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_stack_names_the_missing_file()
    {
        var result = await Run("status", "--stack", "nope");
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.Contains("Pulumi.nope.yaml does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switchover_needs_to()
    {
        var result = await Run("switchover", "--namespace", "db");
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.Contains("--to", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_out_of_range_is_refused()
    {
        var result = await Run("verify", "--namespace", "db", "--timeout", "0");
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.Contains("--timeout must be from 1 to 3600 seconds", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("verify", "abc")]
    [InlineData("verify", "1.5")]
    [InlineData("verify", "99999999999")]
    [InlineData("verify", "-5")]
    [InlineData("switchover", "abc")]
    [InlineData("failover", "abc")]
    public async Task A_timeout_that_is_not_whole_seconds_is_a_usage_error_naming_the_value(string command, string value)
    {
        string[] to = command == "verify" ? [] : ["--to", "db-1"];
        var result = await Run([command, "--namespace", "db", .. to, "--timeout", value]);
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.Contains($"--timeout must be from 1 to 3600 seconds (a whole number); got '{value}'.", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("switchover")]
    [InlineData("switchover", "--stack")]
    [InlineData("switchover", "--namespace", "db", "--to")]
    [InlineData("switchover", "--namespace", "db", "--to", "")]
    [InlineData("switchover", "--namespace", "", "--to", "db-1")]
    [InlineData("switchover", "--namespace", "db", "--to", "db-1", "extra")]
    [InlineData("switchover", "--namespace", "db", "--to", "db-1", "--timeout")]
    [InlineData("switchover", "--namespace", "db", "--to", "db-1", "--yes")]
    [InlineData("failover", "--namespace", "db")]
    [InlineData("status", "--namespace", "db", "--json", "maybe")]
    [InlineData("status", "--context", "", "--namespace", "db")]
    [InlineData("verify", "--cluster")]
    [InlineData("--bogus")]
    public async Task Every_wrong_argument_is_exit_2_with_a_message(params string[] args)
    {
        var result = await Run(args);
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.NotEqual(string.Empty, result.Error.Split(Environment.NewLine)[0].Trim());
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Context_help_describes_the_eks_context_lookup_and_the_kubeconfig()
    {
        var help = await Run("status", "--help");
        Assert.Equal(PghaCli.Ok, help.ExitCode);
        var text = string.Join(' ', help.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("for a stack with pgha:eksClusterName, the one context whose cluster is that EKS cluster", text, StringComparison.Ordinal);
        Assert.Contains("$KUBECONFIG (a list is merged", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_refused()
    {
        Assert.Equal(PghaCli.Usage, (await Run("promote", "--namespace", "db")).ExitCode);
    }

    [Fact]
    public void A_stack_names_namespace_cluster_secret_and_expectations()
    {
        using var dir = new KubeconfigDirectory();
        // The EKS contexts are in the second file of the list; the first file's current context is another cluster.
        var kubeconfig = KubeconfigFiles.For(string.Join(Path.PathSeparator,
            dir.Write("local", KubeconfigDirectory.Yaml("kind-local", ("kind-local", "kind-local", "http://127.0.0.1:1001"))),
            dir.Write("eks", KubeconfigDirectory.Yaml("dev-admin",
                ("dev-admin", "arn:aws:eks:eu-central-1:123456789012:cluster/ideaforge-dev", "http://127.0.0.1:1002"),
                ("prod-admin", "arn:aws:eks:eu-central-1:123456789012:cluster/ideaforge-prod", "http://127.0.0.1:1003")))), "/nonexistent/default");
        var target = new TargetOptions("prod", null, null, null, CliRun.RepositoryRoot, kubeconfig).Resolve();
        Assert.Equal(("ideaforge-ai-prod", "agentic-pm-db", "agentic-pm-db-superuser"), (target.Namespace, target.Cluster, target.SuperuserSecret));
        Assert.Equal(3, target.ExpectedMembers);
        Assert.True(target.ExpectArchiving);
        // The prod stack names its EKS cluster: its kubeconfig context is used, not the current one.
        Assert.Equal("prod-admin", target.KubeContext);
        Assert.Equal("mine", new TargetOptions("prod", null, null, "mine", CliRun.RepositoryRoot, kubeconfig).Resolve().KubeContext);
    }

    [Fact]
    public void An_eks_cluster_without_exactly_one_context_is_a_usage_error_naming_the_fix()
    {
        var none = Assert.Throws<CliUsageException>(() => KubeContexts.ForEksCluster([("kind-local", "kind-local")], "ideaforge-prod", "eu-central-1", "/k/config"));
        Assert.Contains("(looked at /k/config). Run: aws eks update-kubeconfig --name ideaforge-prod --region eu-central-1", none.Message, StringComparison.Ordinal);
        var several = Assert.Throws<CliUsageException>(() => KubeContexts.ForEksCluster(
            [("a", "arn:aws:eks:eu-central-1:1:cluster/ideaforge-prod"), ("b", "ideaforge-prod")], "ideaforge-prod", null, "/k/config"));
        Assert.Contains("(a, b, in /k/config)", several.Message, StringComparison.Ordinal);
        // A cluster whose name merely ends the same is not it.
        Assert.Throws<CliUsageException>(() => KubeContexts.ForEksCluster([("x", "arn:aws:eks:eu-central-1:1:cluster/old-ideaforge-prod")], "ideaforge-prod", null, "/k/config"));
    }

    [Fact]
    public void Namespace_alone_means_the_default_cluster_name()
    {
        var target = new TargetOptions(null, "team-db", null, "ctx", CliRun.RepositoryRoot).Resolve();
        Assert.Equal(("team-db", "pg-ha", "ctx", "pg-ha-superuser"), (target.Namespace, target.Cluster, target.KubeContext, target.SuperuserSecret));
        Assert.Null(target.ExpectedMembers);
        Assert.False(target.ExpectArchiving);
    }
}
