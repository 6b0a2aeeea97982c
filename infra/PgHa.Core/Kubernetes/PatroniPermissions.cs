namespace PgHa.Core.Kubernetes;

/// <summary>
/// What Patroni needs from the Kubernetes API when its store is ConfigMaps (Patroni's kubernetes/patroni_k8s.yaml,
/// minus what only endpoints mode, bypass_api_service or `patronictl remove` use): nothing cluster-wide, no Secrets.
/// </summary>
public static class PatroniPermissions
{
    public static IReadOnlyList<PolicyRule> Rules { get; } =
    [
        // Leader lock, config, failover and sync keys live in <scope>-leader/-config/-failover/-sync ConfigMaps.
        new("", ["configmaps"], ["create", "get", "list", "patch", "update", "watch"]),
        // Members publish their state as pod annotations and the role label the Services select by.
        new("", ["pods"], ["get", "list", "patch", "update", "watch"]),
    ];
}
