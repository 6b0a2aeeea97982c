using PgHa.Cli;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;

namespace PgHa.Cli.Tests;

/// <summary>What one run of the command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
}

public static class CliRun
{
    /// <summary>The repository root (where Pulumi.&lt;stack&gt;.yaml files are).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>No kubeconfig, whatever this machine's KUBECONFIG or ~/.kube/config say.</summary>
    public static KubeconfigFiles NoKubeconfig { get; } = KubeconfigFiles.For(null, "/nonexistent/pgha-tests/.kube/config");

    public static Task<CliResult> RunAsync(ClusterAccessFactory open, string input = "", params string[] args) =>
        RunAsync(open, NoKubeconfig, input, args);

    /// <summary>The command as installed: the real Kubernetes client, connecting with <paramref name="kubeconfig"/>.</summary>
    public static Task<CliResult> RunWithKubeconfigAsync(KubeconfigFiles kubeconfig, params string[] args) =>
        RunAsync(KubernetesClusterAccess.Open, kubeconfig, "", args);

    private static async Task<CliResult> RunAsync(ClusterAccessFactory open, KubeconfigFiles kubeconfig, string input, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new StringReader(input);
        var code = await PghaCli.RunAsync(args, open, output, error, stdin, RepositoryRoot, kubeconfig: kubeconfig);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PgHaInfra.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PgHaInfra.sln not found above the test binaries.");
    }
}
