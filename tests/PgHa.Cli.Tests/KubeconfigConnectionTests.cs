using System.Diagnostics;
using PgHa.Cli;
using PgHa.Operations.Kubernetes;
using PgHa.Testing;

namespace PgHa.Cli.Tests;

/// <summary>
/// Which kubeconfig the command connects with, through the real Kubernetes client: the API servers are stand-ins on
/// 127.0.0.1 that record what reaches them. Also the pgha program itself, with KUBECONFIG in its environment.
/// </summary>
public sealed class KubeconfigConnectionTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Status = ["status", "--namespace", "team-db", "--cluster", "orders"];

    private readonly KubeconfigDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// a: current-context "api" (defined only in b) and a context "decoy"; b: current-context "decoy" (a's wins) and
    /// the context "api". Merged as kubectl does, the command talks to <paramref name="api"/> only.
    /// </summary>
    private string KubeconfigList(LoopbackApiServer api, LoopbackApiServer decoy) => string.Join(Path.PathSeparator,
        _dir.Write("a/config", KubeconfigDirectory.Yaml("api", ("decoy", "decoy-cluster", decoy.Url))),
        _dir.Write("b/config", KubeconfigDirectory.Yaml("decoy", ("api", "api-cluster", api.Url))));

    [Fact]
    public async Task The_connection_uses_the_current_context_merged_from_the_KUBECONFIG_list()
    {
        await using var api = new LoopbackApiServer();
        await using var decoy = new LoopbackApiServer();

        var result = await CliRun.RunWithKubeconfigAsync(KubeconfigFiles.For(KubeconfigList(api, decoy), _dir.Missing("default")), Status);
        output.WriteLine(result.ToString());

        // The stand-in lists no pods: the command got that answer from the right server.
        Assert.Equal(PghaCli.Unhealthy, result.ExitCode);
        Assert.Contains("No pods of cluster team-db/orders", result.Error, StringComparison.Ordinal);
        Assert.StartsWith("GET /api/v1/namespaces/team-db/pods?labelSelector=", Assert.Single(api.Requests), StringComparison.Ordinal);
        Assert.Empty(decoy.Requests);
    }

    [Fact]
    public async Task The_pgha_program_reads_KUBECONFIG_from_its_environment_not_the_home_kubeconfig()
    {
        await using var api = new LoopbackApiServer();
        await using var decoy = new LoopbackApiServer();
        var home = Path.Combine(_dir.Path, "home");
        _dir.Write("home/.kube/config", KubeconfigDirectory.Yaml("home", ("home", "home-cluster", decoy.Url)));

        var listed = await RunProgramAsync(KubeconfigList(api, decoy), home, Status);
        Assert.Equal(PghaCli.Unhealthy, listed.ExitCode);
        Assert.Single(api.Requests);
        Assert.Empty(decoy.Requests);

        // Without KUBECONFIG: ~/.kube/config.
        var fallback = await RunProgramAsync(null, home, Status);
        Assert.Equal(PghaCli.Unhealthy, fallback.ExitCode);
        Assert.Single(decoy.Requests);

        // KUBECONFIG names a file that does not exist: exit 2 naming it, not ~/.kube/config.
        var missing = await RunProgramAsync(_dir.Missing("nowhere"), home, Status);
        Assert.Equal(PghaCli.Usage, missing.ExitCode);
        Assert.StartsWith($"No kubeconfig: looked at {_dir.Missing("nowhere")} (from $KUBECONFIG), which does not exist.", missing.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(".kube/config", missing.Error, StringComparison.Ordinal);
        Assert.Single(api.Requests);
        Assert.Single(decoy.Requests);
    }

    [Theory]
    [InlineData("status", "--namespace", "team-db")]
    [InlineData("status", "--stack", "prod")]
    [InlineData("status", "--stack", "prod", "--context", "prod-admin")]
    [InlineData("verify", "--stack", "dev")]
    [InlineData("switchover", "--namespace", "team-db", "--to", "pg-ha-1")]
    public async Task A_missing_kubeconfig_is_exit_2_naming_the_files_whatever_names_the_target(params string[] args)
    {
        var missing = _dir.Missing("gone/config");
        var result = await CliRun.RunWithKubeconfigAsync(KubeconfigFiles.For(null, missing), args);
        output.WriteLine(result.ToString());
        Assert.Equal(PghaCli.Usage, result.ExitCode);
        Assert.StartsWith($"No kubeconfig: looked at {missing}, which does not exist.", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Runs the built pgha program (pgha.dll beside the tests) with this environment; bounded at 60 seconds.</summary>
    private async Task<CliResult> RunProgramAsync(string? kubeconfig, string home, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pgha.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove(KubeconfigFiles.Variable);
        if (kubeconfig is not null)
        {
            info.Environment[KubeconfigFiles.Variable] = kubeconfig;
        }

        info.Environment["HOME"] = home;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet pgha.dll did not start");
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"pgha {string.Join(' ', args)} did not exit within 60s (KUBECONFIG={kubeconfig})");
            }

            var result = new CliResult(process.ExitCode, await stdout, await stderr);
            output.WriteLine($"KUBECONFIG={kubeconfig} pgha {string.Join(' ', args)} -> {result}");
            return result;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
