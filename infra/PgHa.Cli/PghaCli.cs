using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PgHa.Core.Verification;
using PgHa.Operations.Access;
using PgHa.Operations.Kubernetes;
using PgHa.Operations.Patroni;
using PgHa.Operations.Status;
using PgHa.Operations.Verification;

namespace PgHa.Cli;

/// <summary>
/// The <c>pgha</c> commands (the old monitoring and failover runbooks): status, switchover, failover, verify.
/// Exit codes: 0 healthy / done, 1 unhealthy / failed, 2 wrong arguments or no usable kubeconfig (nothing done).
/// </summary>
public static class PghaCli
{
    public const int Ok = 0;
    public const int Unhealthy = 1;
    public const int Usage = 2;

    /// <param name="kubeconfig">Where the kubeconfig is; default: KUBECONFIG (a list is merged), else ~/.kube/config.</param>
    public static async Task<int> RunAsync(string[] args, ClusterAccessFactory openCluster, TextWriter output, TextWriter error, TextReader input,
        string? stackDirectory = null, HttpClient? http = null, KubeconfigFiles? kubeconfig = null, PreflightClusterReader? readCluster = null)
    {
        var root = Build(openCluster, kubeconfig ?? KubeconfigFiles.FromEnvironment(), output, error, input, stackDirectory ?? Directory.GetCurrentDirectory(),
            http, readCluster ?? PreflightCommand.ReadCluster);
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }).ConfigureAwait(false) switch
        {
            // System.CommandLine reports parse errors with exit code 1; ours is 2 for any argument error.
            1 when parsed.Errors.Count > 0 => Usage,
            var code => code,
        };
    }

    private static RootCommand Build(ClusterAccessFactory openCluster, KubeconfigFiles kubeconfig, TextWriter output, TextWriter error, TextReader input,
        string stackDirectory, HttpClient? http, PreflightClusterReader readCluster)
    {
        var stack = new Option<string?>("--stack") { Description = "Pulumi stack whose Pulumi.<stack>.yaml names the cluster (run from the repository root)." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Namespace of the cluster (instead of --stack)." };
        var cluster = new Option<string?>("--cluster", "-c") { Description = "pgha:clusterName of the cluster (with --namespace; default pg-ha)." };
        var context = new Option<string?>("--context")
        {
            Description = "kubeconfig context. Default: the stack's pgha:kubeContext; for a stack with pgha:eksClusterName, the one context whose " +
                "cluster is that EKS cluster (its name or ARN, as `aws eks update-kubeconfig` writes it), never just the current one; " +
                "otherwise the current context. The kubeconfig is $KUBECONFIG (a list is merged, as kubectl does), else ~/.kube/config.",
        };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON." };
        var to = new Option<string>("--to") { Description = "The pod to become the primary, e.g. <cluster>-1.", Required = true };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation." };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait before giving up (1 to 3600).", DefaultValueFactory = _ => 120, CustomParser = Seconds,
        };
        foreach (var named in new Option[] { stack, ns, cluster, context, to })
        {
            RequireText(named);
        }

        TargetOptions Target(ParseResult p) => new(p.GetValue(stack), p.GetValue(ns), p.GetValue(cluster), p.GetValue(context), stackDirectory, kubeconfig);

        var status = new Command("status", "One table of every member: role, state, timeline, replay lag, its slot, and the Services' pods. Exit 1 when anything is unhealthy.")
        {
            stack, ns, cluster, context, json,
        };
        status.SetAction((p, ct) => Run(Target(p), openCluster, error, async (access, target) =>
        {
            var current = await new ClusterStatusReader(access, target, Patroni(access, http)).ReadAsync(ct).ConfigureAwait(false);
            await output.WriteAsync(p.GetValue(json) ? StatusRenderer.ToJson(current) + Environment.NewLine : StatusRenderer.ToTable(current)).ConfigureAwait(false);
            return current.Healthy ? Ok : Unhealthy;
        }));

        var switchover = new Command("switchover", "Planned switchover to a healthy replica through Patroni; waits until it accepts writes and the Services follow.")
        {
            stack, ns, cluster, context, to, timeout,
        };
        switchover.SetAction((p, ct) => Run(Target(p), openCluster, error, (access, target) =>
            ChangeRole(access, target, http, output, error, p.GetValue(timeout), (change, seconds) => change.SwitchoverAsync(p.GetValue(to)!, seconds, ct))));

        var failover = new Command("failover", "Forced failover to a member, even without a healthy primary (may lose transactions not yet on it); asks first.")
        {
            stack, ns, cluster, context, to, yes, timeout,
        };
        failover.SetAction((p, ct) => Run(Target(p), openCluster, error, async (access, target) =>
        {
            var candidate = p.GetValue(to)!;
            if (!p.GetValue(yes))
            {
                await output.WriteAsync($"Force {candidate} to become the primary of {target}? Transactions not yet replicated to it are lost. " +
                    "Type the pod name to confirm: ").ConfigureAwait(false);
                var answer = (await input.ReadLineAsync(ct).ConfigureAwait(false))?.Trim();
                if (answer != candidate)
                {
                    await error.WriteLineAsync(answer is null
                        ? "aborted: no confirmation on standard input (pass --yes in scripts)."
                        : $"aborted: \"{answer}\" is not \"{candidate}\". Nothing was changed.").ConfigureAwait(false);
                    return Unhealthy;
                }
            }

            return await ChangeRole(access, target, http, output, error, p.GetValue(timeout), (change, seconds) => change.FailoverAsync(candidate, seconds, ct))
                .ConfigureAwait(false);
        }));

        var verify = new Command("verify", "The post-deploy replication check, on demand: retries until healthy or --timeout, then reports every problem.")
        {
            stack, ns, cluster, context, timeout,
        };
        verify.SetAction((p, ct) => Run(Target(p), openCluster, error, async (access, target) =>
        {
            var reader = new ClusterStatusReader(access, target, Patroni(access, http));
            var pods = await access.ListMembersAsync(ct).ConfigureAwait(false);
            var members = await reader.EndpointsAsync(pods, ct).ConfigureAwait(false);
            var verifier = VerifierFactory.Create(await access.GetMonitoringAsync(ct).ConfigureAwait(false), new AccessEndpoints(access));
            var report = await verifier.VerifyAsync(members, reader.Expectations(TimeSpan.FromSeconds(p.GetValue(timeout)), pods.Count),
                m => error.WriteLine(m), ct).ConfigureAwait(false);
            await output.WriteLineAsync(report.Passed
                ? $"replication verified: primary {report.Primary}, timeline {report.Timeline}, replicas {string.Join(", ", report.Replicas.Select(r => $"{r.Name} ({r.State}, lag {r.ReplayLagBytes} bytes, slot {r.Slot})"))}" +
                  (report.Archiver is { } archiver ? $"; WAL {archiver}" : string.Empty)
                : report.FailureMessage()).ConfigureAwait(false);
            return report.Passed ? Ok : Unhealthy;
        }));

        return new RootCommand("pgha: status, switchover, failover and verification of a pg-ha PostgreSQL cluster, through the Kubernetes API. " +
            "Exit codes: 0 healthy/done, 1 unhealthy/failed, 2 wrong arguments or no usable kubeconfig (nothing done).")
        {
            status, switchover, failover, verify,
            PreflightCommand.Create(stack, ns, cluster, context, stackDirectory, readCluster, output, error),
        };
    }

    private static async Task<int> ChangeRole(IClusterAccess access, ClusterTarget target, HttpClient? http, TextWriter output, TextWriter error, int timeoutSeconds,
        Func<RoleChange, TimeSpan, Task<ClusterStatus>> change)
    {
        var patroni = Patroni(access, http);
        var roleChange = new RoleChange(access, new ClusterStatusReader(access, target, patroni), patroni, m => error.WriteLine(m));
        var after = await change(roleChange, TimeSpan.FromSeconds(timeoutSeconds)).ConfigureAwait(false);
        await output.WriteAsync(StatusRenderer.ToTable(after)).ConfigureAwait(false);
        return after.Healthy ? Ok : Unhealthy;
    }

    /// <summary>
    /// Patroni's REST API of the cluster <paramref name="access"/> opened: <paramref name="http"/> when given (tests), else
    /// HTTPS verified against the cluster's CA with the operator's client certificate, both read from the cluster's Secret
    /// when first needed. The HTTP client lives as long as this process's command.
    /// </summary>
    private static PatroniClient Patroni(IClusterAccess access, HttpClient? http) =>
        http is not null ? new PatroniClient(http) : PatroniClient.ForCluster(access.GetPatroniApiCredentialsAsync, PatroniCallTimeout, _ => { });

    /// <summary>How long one Patroni call may take: POST /switchover answers once the new leader runs.</summary>
    private static readonly TimeSpan PatroniCallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Resolves the target, opens the cluster, runs <paramref name="body"/>, and turns failures into messages and exit codes.</summary>
    private static async Task<int> Run(TargetOptions options, ClusterAccessFactory openCluster, TextWriter error, Func<IClusterAccess, ClusterTarget, Task<int>> body)
    {
        try
        {
            var target = options.Resolve();
            var access = openCluster(target, options.Kubeconfig ?? KubeconfigFiles.FromEnvironment());
            await using (access.ConfigureAwait(false))
            {
                return await body(access, target).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is CliUsageException or KubeconfigUnusableException)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return Usage;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException
            or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
        {
            await error.WriteLineAsync($"pgha: {e.Message}").ConfigureAwait(false);
            return Unhealthy;
        }
    }

    /// <summary>--timeout: whole seconds from 1 to 3600; anything else is a parse error (exit 2) naming the value.</summary>
    private static int Seconds(ArgumentResult result)
    {
        var text = string.Join(" ", result.Tokens.Select(t => t.Value));
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600)
        {
            return seconds;
        }

        result.AddError($"--timeout must be from 1 to 3600 seconds (a whole number); got '{text}'.");
        return 0;
    }

    /// <summary>An option given with an empty value (e.g. --namespace "") is a usage error, not a lookup of "".</summary>
    private static void RequireText(Option option) => option.Validators.Add(result =>
    {
        if (result.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value)))
        {
            result.AddError($"{option.Name} needs a non-empty value.");
        }
    });

    /// <summary>The Services' endpoints as the verifier asks for them.</summary>
    private sealed class AccessEndpoints(IClusterAccess access) : IServiceEndpointsSource
    {
        public Task<ServiceEndpoints> GetAsync(CancellationToken cancellationToken) => access.GetServiceEndpointsAsync(cancellationToken);
    }
}
