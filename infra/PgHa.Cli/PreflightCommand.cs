using System.CommandLine;
using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;

namespace PgHa.Cli;

/// <summary>Reads the stack's target cluster for the preflight (the seam the command's tests replace).</summary>
public delegate Task<ClusterSnapshot> PreflightClusterReader(ClusterTarget target, PgHaSettings settings, CancellationToken cancellationToken);

/// <summary>
/// <c>pgha preflight --stack &lt;stack&gt;</c>: the checks `pulumi preview` and `pulumi up` run before anything is
/// created, on demand (e.g. before opening a pull request). Read-only. Prints every problem and warning; exit 0 when
/// there is no problem, 1 when there is one (or the cluster cannot be read), 2 on wrong arguments.
/// </summary>
public static class PreflightCommand
{
    /// <summary>The longest the command waits for the cluster's API.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Reads with the user's kubeconfig and the target's context.</summary>
    public static Task<ClusterSnapshot> ReadCluster(ClusterTarget target, PgHaSettings settings, CancellationToken cancellationToken) =>
        ClusterSnapshotReader.ReadAsync(KubeconfigTarget.ForContext(target.KubeContext!), settings, Timeout, cancellationToken);

    public static Command Create(Option<string?> stack, Option<string?> ns, Option<string?> cluster, Option<string?> context, string stackDirectory,
        PreflightClusterReader readCluster, TextWriter output, TextWriter error)
    {
        var command = new Command("preflight",
            "The checks pulumi preview and up run before anything is created, against the stack's cluster (read-only): every problem with its key and fix. Exit 1 on a problem.")
        {
            stack, ns, cluster, context,
        };
        command.SetAction(async (p, ct) =>
        {
            try
            {
                var options = new TargetOptions(p.GetValue(stack), p.GetValue(ns), p.GetValue(cluster), p.GetValue(context), stackDirectory);
                if (options.Stack is null)
                {
                    throw new CliUsageException("preflight checks a stack's settings against its cluster: pass --stack <stack> (reads Pulumi.<stack>.yaml; --context overrides its cluster).");
                }

                var target = options.Resolve();
                if (target.KubeContext is null)
                {
                    throw new CliUsageException($"--stack {options.Stack}: no kubeconfig context to read; pass --context <context>.");
                }

                var settings = SettingsLoader.LoadNames(StackFileConfig.Load(Path.Combine(stackDirectory, $"Pulumi.{options.Stack}.yaml")));
                var report = PreflightEvaluator.Evaluate(settings, await readCluster(target, settings, ct).ConfigureAwait(false));
                await output.WriteLineAsync(
                    $"preflight of stack {options.Stack} ({target}, kubeconfig context {target.KubeContext}): " +
                    (report.Passed ? "no problem" : $"{report.Errors.Count} problem(s)") +
                    (report.Warnings.Count > 0 ? $", {report.Warnings.Count} warning(s)" : string.Empty)).ConfigureAwait(false);
                foreach (var problem in report.Problems)
                {
                    await output.WriteLineAsync($"  {(problem.Severity == PreflightSeverity.Error ? "problem" : "warning")}: {problem}").ConfigureAwait(false);
                }

                return report.Passed ? PghaCli.Ok : PghaCli.Unhealthy;
            }
            catch (Exception e) when (e is CliUsageException or KubeconfigUnusableException)
            {
                await error.WriteLineAsync(e.Message).ConfigureAwait(false);
                return PghaCli.Usage;
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException
                or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
            {
                await error.WriteLineAsync($"pgha: the preflight could not read the cluster: {e.Message}").ConfigureAwait(false);
                return PghaCli.Unhealthy;
            }
        });
        return command;
    }
}
