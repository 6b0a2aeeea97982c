namespace PgHa.Core.Settings;

/// <summary>The one validated, immutable settings tree the program is built from.</summary>
/// <param name="NetworkPolicies">The NetworkPolicies' settings; null when pgha:networkPolicies is false.</param>
/// <param name="Preflight">Whether preview and up read the target cluster first and stop on what would fail halfway (pgha:preflight).</param>
/// <param name="CertManagerIssuer">The cert-manager issuer of the server certificate (pgha:certManagerIssuer); null: the stack's own CA.</param>
public sealed record PgHaSettings(
    ClusterIdentity Cluster,
    ClusterAccess Access,
    PostgresSettings Postgres,
    StorageSettings Storage,
    PodResources Resources,
    SchedulingSettings Scheduling,
    PatroniSettings Patroni,
    CredentialSettings Credentials,
    CheckSettings Check,
    MonitoringSettings Monitoring,
    MigrationSettings? Migration,
    BackupSettings? Backup = null,
    AppConfigSettings? AppConfig = null,
    bool Preflight = true,
    NetworkPolicySettings? NetworkPolicies = null,
    CertManagerIssuerRef? CertManagerIssuer = null);

/// <summary>The one-time migration from the old single PostgreSQL (null when not configured).</summary>
public sealed record MigrationSettings(string Host, int Port, string Database, string SecretName, string SslMode, bool Force, string? ScaleDownDeployment);

/// <summary>Metrics, alerts and dashboard; off unless asked (they need the Prometheus Operator CRDs).</summary>
public sealed record MonitoringSettings(bool Enabled, string RunbookUrl);

public enum CheckConnectionMode
{
    PortForward,
    Direct,
}

/// <summary>The post-deploy replication check: how it reaches the pods and how long it retries.</summary>
public sealed record CheckSettings(CheckConnectionMode ConnectionMode, int TimeoutSeconds)
{
    /// <summary>The provider's spelling of the mode (portForward, direct).</summary>
    public string ConnectionModeName => Verification.ReplicationCheckContract.ConnectionModeName(ConnectionMode);
}

public enum Platform
{
    Eks,
    Generic,
}

/// <param name="DeletionProtection">Protect what holds or unlocks the data (Namespace, StatefulSet, credential Secrets) from deletion and replacement.</param>
public sealed record ClusterIdentity(string Name, string Namespace, bool CreateNamespace, Platform Platform, int Replicas, bool DeletionProtection = true);

/// <summary>How the stack reaches the Kubernetes API: exactly one of the two is set.</summary>
public sealed record ClusterAccess(string? KubeContext, string? EksClusterName, string? AwsRegion)
{
    public bool UsesEks => EksClusterName is not null;
}

public sealed record PostgresSettings(int MajorVersion, string Image, string Database, string AppUser);

/// <summary>
/// Storage per pod. On EKS the stack creates <see cref="StorageClassName"/> (gp3, encrypted);
/// on a generic cluster it is an existing class.
/// </summary>
public sealed record StorageSettings(
    string Size,
    long SizeBytes,
    string StorageClassName,
    int EbsIops,
    int EbsThroughputMiBps,
    string? KmsKeyArn);

public sealed record PodResources(string CpuRequest, string CpuLimit, string MemoryRequest, string MemoryLimit);

public enum AntiAffinityMode
{
    Required,
    Preferred,
}

public enum ZoneSpreadMode
{
    Required,
    Preferred,
    None,
}

public sealed record SchedulingSettings(AntiAffinityMode AntiAffinity, ZoneSpreadMode ZoneSpread);

public enum SynchronousMode
{
    Off,
    On,
    Strict,
}

/// <summary>Patroni timings and replication safety limits. Sizes are PostgreSQL size strings (e.g. 4GB).</summary>
public sealed record PatroniSettings(
    int Ttl,
    int LoopWait,
    int RetryTimeout,
    SynchronousMode SynchronousMode,
    long MaximumLagOnFailoverBytes,
    string MaxSlotWalKeepSize,
    string WalKeepSize,
    long ReadinessMaxLagBytes);

/// <summary>Where one role's credentials come from: a Pulumi config secret, or an existing Kubernetes Secret.</summary>
public sealed record CredentialSource(string Username, ConfigKey? PasswordKey, string? ExistingSecretName);

public sealed record CredentialSettings(CredentialSource Superuser, CredentialSource Replication, CredentialSource App);
