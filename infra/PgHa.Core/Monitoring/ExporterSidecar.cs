using System.Globalization;
using PgHa.Core.Patroni;

namespace PgHa.Core.Monitoring;

/// <summary>The postgres_exporter sidecar's contract: where it listens, its query file, and how it connects.</summary>
public static class ExporterSidecar
{
    public const int Port = 9187;
    public const string PortName = "metrics";
    public const string QueriesDirectory = "/etc/pgha-exporter";
    public const string QueriesFile = "queries.yaml";

    public static IReadOnlyList<string> Arguments { get; } =
    [
        $"--web.listen-address=:{Port.ToString(CultureInfo.InvariantCulture)}",
        $"--extend.query-path={QueriesDirectory}/{QueriesFile}",
    ];

    /// <summary>
    /// Connects to the pod's own PostgreSQL over TLS as the monitoring role (pg_monitor: every statistics view and
    /// setting the default collectors and our queries read, and nothing more), with its credentials from its Secret.
    /// </summary>
    public static IReadOnlyList<PodEnvVar> Environment(CredentialSecretNames secrets) =>
    [
        PodEnvVar.Literal("DATA_SOURCE_URI", $"localhost:{PatroniConfig.PostgresPort.ToString(CultureInfo.InvariantCulture)}/postgres?sslmode=require"),
        PodEnvVar.FromSecret("DATA_SOURCE_USER", secrets.Monitoring, SpiloEnvironment.UsernameKey),
        PodEnvVar.FromSecret("DATA_SOURCE_PASS", secrets.Monitoring, SpiloEnvironment.PasswordKey),
    ];
}
