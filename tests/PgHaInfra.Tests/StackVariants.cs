using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// Every shape of stack the tests build, by name: properties of the whole resource graph are checked over all of
/// them, so a feature added later is covered by adding its variant here.
/// </summary>
public static class StackVariants
{
    public static readonly IReadOnlyDictionary<string, Dictionary<string, string>> All = new Dictionary<string, Dictionary<string, string>>
    {
        ["eks (kube context)"] = ValidConfig(),
        ["eks (cluster name)"] = ValidConfig(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod")),
        ["generic"] = ValidConfig(("pgha:platform", "generic"), ("pgha:storageClassName", "standard")),
        ["own namespace, synchronous, preferred scheduling"] = ValidConfig(("pgha:createNamespace", "true"),
            ("pgha:synchronousMode", "strict"), ("pgha:antiAffinity", "preferred"), ("pgha:zoneSpread", "none")),
        ["existing secrets"] = ValidConfig(("pgha:superuserPassword", null), ("pgha:existingSuperuserSecret", "dba-creds"),
            ("pgha:replicationPassword", null), ("pgha:existingReplicationSecret", "repl-creds"),
            ("pgha:appPassword", null), ("pgha:existingAppSecret", "app-creds")),
        ["monitoring"] = ValidConfig(("pgha:monitoring", "true")),
        ["backups (eks)"] = ValidConfig(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true")),
        ["backups (generic)"] = ValidConfig(("pgha:platform", "generic"), ("pgha:storageClassName", "standard"), ("pgha:backups", "true"),
            ("pgha:backupBucket", "team-backups"), ("pgha:backupS3Endpoint", "http://minio.minio:9000"), ("pgha:backupS3Region", "us-east-1"),
            ("pgha:backupCredentialsSecret", "minio-keys")),
        ["restore"] = ValidConfig(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:backups", "true"),
            ("pgha:restoreFromCluster", "orders-old"), ("pgha:restoreTargetTime", "2026-11-25T10:30:00Z")),
        ["migration with scale-down"] = ValidConfig(("pgha:migrationSourceHost", "postgres.team-db.svc.cluster.local"),
            ("pgha:migrationSourceSecret", "old-postgres-creds"), ("pgha:migrationScaleDownDeployment", "postgres")),
        ["app config"] = ValidConfig(("pgha:appConfig", "ideaforge-ai-config"), ("pgha:appRestartDeployments", "backend")),
        ["network policies off"] = ValidConfig(("pgha:networkPolicies", "false")),
        ["app pods elsewhere, monitoring namespace"] = ValidConfig(("pgha:appPodNamespace", "frontend"), ("pgha:appPodSelector", "app=backend,tier=api"),
            ("pgha:monitoring", "true"), ("pgha:monitoringNamespace", "observability")),
        ["cert-manager"] = ValidConfig(("pgha:certManagerIssuer", "ClusterIssuer/internal-ca"), ("pgha:appConfig", "ideaforge-ai-config")),
        ["everything on"] = ValidConfig(("pgha:kubeContext", null), ("pgha:eksClusterName", "prod"), ("pgha:createNamespace", "true"),
            ("pgha:monitoring", "true"), ("pgha:backups", "true"), ("pgha:replicas", "5"),
            ("pgha:migrationSourceHost", "postgres.team-db.svc.cluster.local"), ("pgha:migrationSourceSecret", "old-postgres-creds"),
            ("pgha:appConfig", "ideaforge-ai-config"), ("pgha:appRestartDeployments", "backend")),
    };

    /// <summary>The variant names, as xUnit member data.</summary>
    public static TheoryData<string> Names => [.. All.Keys];
}
