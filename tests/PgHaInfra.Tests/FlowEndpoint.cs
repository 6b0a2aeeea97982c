namespace PgHaInfra.Tests;

/// <summary>One end of a network flow: a pod (its namespace and labels), or an address outside the pod network (no namespace).</summary>
public sealed record FlowEndpoint(string What, string? Namespace, IReadOnlyDictionary<string, string> Labels)
{
    public bool IsExternal => Namespace is null;

    public static FlowEndpoint Pod(string what, string ns, IReadOnlyDictionary<string, string> labels) => new(what, ns, labels);

    public static FlowEndpoint External(string what) => new(what, null, new Dictionary<string, string>());

    public override string ToString() => What;
}
