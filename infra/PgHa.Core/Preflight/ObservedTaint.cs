namespace PgHa.Core.Preflight;

/// <summary>A node taint; the pods tolerate none, so NoSchedule and NoExecute keep them off the node.</summary>
public sealed record ObservedTaint(string Key, string? Value, string Effect)
{
    public bool RepelsPods => Effect is "NoSchedule" or "NoExecute";

    public override string ToString() => Value is null or "" ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}
