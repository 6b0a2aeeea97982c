namespace PgHa.Core.Preflight;

/// <summary>An object the preflight found (a Namespace, ConfigMap, Deployment or StatefulSet) and its labels.</summary>
/// <param name="Namespace">Null for a cluster-scoped object.</param>
public sealed record ObservedObject(string? Namespace, string Name, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Whether it carries every one of <paramref name="expected"/> (the labels this stack puts on what it creates).</summary>
    public bool HasLabels(IReadOnlyDictionary<string, string> expected) =>
        expected.All(l => Labels.TryGetValue(l.Key, out var value) && value == l.Value);
}
