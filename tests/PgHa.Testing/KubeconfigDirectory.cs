namespace PgHa.Testing;

/// <summary>A temporary directory for kubeconfig files, deleted on dispose.</summary>
public sealed class KubeconfigDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pgha-kubeconfig-").FullName;

    /// <summary>Writes <paramref name="name"/> (subdirectories allowed) and returns its full path.</summary>
    public string Write(string name, string yaml)
    {
        var file = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, yaml);
        return file;
    }

    /// <summary>A path in the directory that does not exist.</summary>
    public string Missing(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>A kubeconfig with the given contexts (name, cluster name, server) and optionally a current context.</summary>
    public static string Yaml(string? currentContext, params (string Context, string Cluster, string Server)[] contexts) =>
        string.Join('\n',
        [
            "apiVersion: v1",
            "kind: Config",
            .. currentContext is null ? Array.Empty<string>() : [$"current-context: {currentContext}"],
            "contexts:",
            .. contexts.Select(c => $"- name: {c.Context}\n  context:\n    cluster: {c.Cluster}\n    user: {c.Context}-user"),
            "clusters:",
            .. contexts.Select(c => $"- name: {c.Cluster}\n  cluster:\n    server: {c.Server}"),
            "users:",
            .. contexts.Select(c => $"- name: {c.Context}-user\n  user:\n    token: not-a-secret"),
            string.Empty,
        ]);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
