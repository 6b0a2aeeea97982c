using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace PgHa.Operations.Kubernetes;

/// <summary>
/// The user's kubeconfig, found and merged as kubectl does: the files listed in <c>KUBECONFIG</c> (separated by
/// <see cref="Path.PathSeparator"/>; files that do not exist are skipped), else <c>~/.kube/config</c>. The first file
/// that sets <c>current-context</c> wins, and a context, cluster or user defined in several files is taken from the
/// first. Relative paths in a file (certificates, keys, an exec command) are relative to that file.
/// Every problem with it (none found, unreadable, no such context) is a <see cref="KubeconfigUnusableException"/> naming
/// the files looked at.
/// </summary>
public sealed class KubeconfigFiles
{
    public const string Variable = "KUBECONFIG";

    private KubeconfigFiles(IReadOnlyList<string> paths, bool fromVariable)
    {
        Paths = paths;
        FromVariable = fromVariable;
    }

    /// <summary>The files looked at, in order of precedence.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Whether <see cref="Paths"/> came from <c>KUBECONFIG</c> (else the default location).</summary>
    public bool FromVariable { get; }

    /// <summary>From this process's <c>KUBECONFIG</c> and home directory.</summary>
    public static KubeconfigFiles FromEnvironment() =>
        For(Environment.GetEnvironmentVariable(Variable), KubernetesClientConfiguration.KubeConfigDefaultLocation);

    /// <param name="variable">The value of <c>KUBECONFIG</c>; unset or empty means <paramref name="defaultPath"/>.</param>
    public static KubeconfigFiles For(string? variable, string defaultPath)
    {
        var listed = (variable ?? string.Empty).Split(Path.PathSeparator)
            .Where(p => p.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return listed.Length == 0 ? new KubeconfigFiles([defaultPath], false) : new KubeconfigFiles(listed, true);
    }

    /// <summary>The files looked at and which of them do not exist, for messages.</summary>
    public string Describe()
    {
        var missing = Paths.Where(p => !File.Exists(p)).ToArray();
        var where = FromVariable ? $"{string.Join(Path.PathSeparator, Paths)} (from ${Variable})" : Paths[0];
        return missing.Length == 0 ? where
            : missing.Length == 1 && Paths.Count == 1 ? $"{where}, which does not exist"
            : $"{where}; not found: {string.Join(", ", missing)}";
    }

    /// <summary>Whether any of the files exists.</summary>
    public bool Exists => Paths.Any(File.Exists);

    /// <summary>The one error for a missing kubeconfig, whatever needed it.</summary>
    /// <param name="eksCommand">How to create one for EKS (an <c>aws eks update-kubeconfig</c> command line).</param>
    public KubeconfigUnusableException Missing(string eksCommand) => new(
        $"No kubeconfig: looked at {Describe()}. Point {Variable} at your kubeconfig file(s), or create one (for EKS: {eksCommand}).");

    /// <summary>(context name, cluster name) of every context; none when no kubeconfig file exists.</summary>
    public IReadOnlyList<(string Context, string Cluster)> Contexts()
    {
        var config = LoadOrNull();
        return config is null
            ? []
            : (config.Contexts ?? []).Where(c => c.Name is not null && c.ContextDetails?.Cluster is not null)
                .Select(c => (c.Name, c.ContextDetails.Cluster)).ToArray();
    }

    /// <summary>The connection settings of <paramref name="context"/>, or of the current context when null.</summary>
    /// <param name="contextSource">Where <paramref name="context"/> came from, for messages (the pgha command's option by default).</param>
    public KubernetesClientConfiguration ClientConfiguration(string? context, string contextSource = "--context")
    {
        var config = LoadOrNull() ?? throw Missing("aws eks update-kubeconfig --name <EKS cluster> --region <region>");
        var names = (config.Contexts ?? []).Select(c => c.Name).Where(n => n is not null).ToArray();
        var chosen = context ?? config.CurrentContext;
        if (string.IsNullOrEmpty(chosen))
        {
            throw new KubeconfigUnusableException($"No current context in {Describe()}; pass --context <one of: {string.Join(", ", names)}>.");
        }

        if (!names.Contains(chosen, StringComparer.Ordinal))
        {
            throw new KubeconfigUnusableException(
                $"{(context is null ? "current-context" : contextSource)} {chosen}: no such context in {Describe()}. Contexts: {(names.Length == 0 ? "none" : string.Join(", ", names))}.");
        }

        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(config, chosen);
        }
        catch (KubeConfigException e)
        {
            throw new KubeconfigUnusableException($"Context {chosen} in {Describe()} cannot be used: {e.Message}");
        }
    }

    /// <summary>The merged configuration, or null when none of the files exists.</summary>
    private K8SConfiguration? LoadOrNull()
    {
        var files = Paths.Where(File.Exists).Select(LoadOne).ToArray();
        return files.Length == 0 ? null : Merge(files);
    }

    private static K8SConfiguration LoadOne(string path)
    {
        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(path), useRelativePaths: false);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new KubeconfigUnusableException($"{path} is not a readable kubeconfig: {e.Message}");
        }

        ResolveRelativePaths(config, Path.GetDirectoryName(Path.GetFullPath(path))!);
        return config;
    }

    /// <summary>Relative file references are relative to the file that holds them (kubectl's rule), whatever is merged later.</summary>
    private static void ResolveRelativePaths(K8SConfiguration config, string directory)
    {
        string? Resolve(string? path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.Combine(directory, path);

        foreach (var endpoint in (config.Clusters ?? []).Select(c => c.ClusterEndpoint).OfType<ClusterEndpoint>())
        {
            endpoint.CertificateAuthority = Resolve(endpoint.CertificateAuthority);
        }

        foreach (var credentials in (config.Users ?? []).Select(u => u.UserCredentials).OfType<UserCredentials>())
        {
            credentials.ClientCertificate = Resolve(credentials.ClientCertificate);
            credentials.ClientKey = Resolve(credentials.ClientKey);
            // An exec command is looked up on PATH unless it names a path (kubectl: only then relative to the file).
            if (credentials.ExternalExecution is { Command: { } command } exec && command.Contains('/', StringComparison.Ordinal))
            {
                exec.Command = Resolve(command);
            }
        }
    }

    private static K8SConfiguration Merge(IReadOnlyList<K8SConfiguration> files) => new()
    {
        ApiVersion = "v1",
        Kind = "Config",
        CurrentContext = files.Select(f => f.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
        Contexts = FirstByName(files.SelectMany(f => f.Contexts ?? []), c => c.Name),
        Clusters = FirstByName(files.SelectMany(f => f.Clusters ?? []), c => c.Name),
        Users = FirstByName(files.SelectMany(f => f.Users ?? []), u => u.Name),
    };

    private static List<T> FirstByName<T>(IEnumerable<T> items, Func<T, string?> name) =>
        items.Where(i => name(i) is not null).DistinctBy(name, StringComparer.Ordinal).ToList();
}
