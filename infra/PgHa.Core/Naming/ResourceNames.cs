namespace PgHa.Core.Naming;

/// <summary>The name of every Kubernetes object the cluster consists of, derived from the cluster name in one place.</summary>
public sealed record ResourceNames(string Cluster)
{
    /// <summary>The StatefulSet and the Patroni scope.</summary>
    public string StatefulSet => Cluster;

    /// <summary>Read-write Service: follows the Patroni leader.</summary>
    public string ReadWriteService => Cluster;

    /// <summary>Read-only Service: replicas only.</summary>
    public string ReadOnlyService => $"{Cluster}-ro";

    /// <summary>Headless Service giving each pod a stable DNS name.</summary>
    public string HeadlessService => $"{Cluster}-headless";

    public string ServiceAccount => $"{Cluster}-patroni";
    public string Role => $"{Cluster}-patroni";
    public string RoleBinding => $"{Cluster}-patroni";
    public string DisruptionBudget => $"{Cluster}-pdb";
    public string SuperuserSecret => $"{Cluster}-superuser";
    public string ReplicationSecret => $"{Cluster}-replication";
    public string AppSecret => $"{Cluster}-app";

    /// <summary>The monitoring role's credentials (username, password), always created by the stack.</summary>
    public string MonitoringSecret => $"{Cluster}-monitoring";
    public string AppBootstrapJob => $"{Cluster}-app-bootstrap";
    public string ExporterQueries => $"{Cluster}-exporter-queries";
    public string BackupScripts => $"{Cluster}-backup-scripts";

    /// <summary>The ConfigMap the pods take SPILO_CONFIGURATION from.</summary>
    public string SpiloConfiguration => $"{Cluster}-spilo-configuration";
    public string MigrationJob => $"{Cluster}-migration";
    /// <summary>The server certificate, its key and the CA (tls.crt, tls.key, ca.crt) the pods mount.</summary>
    public string TlsSecret => $"{Cluster}-tls";

    /// <summary>The operator's client certificate for Patroni's REST API, its key and the CA (tls.crt, tls.key, ca.crt); read by pgha and the provider, mounted by no pod.</summary>
    public string OperatorTlsSecret => $"{Cluster}-operator-tls";

    /// <summary>The CA clients verify the server with (ca.crt), not secret.</summary>
    public string CaConfigMap => $"{Cluster}-ca";

    public string PodMonitor => Cluster;
    public string AlertRules => $"{Cluster}-alerts";
    public string Dashboard => $"{Cluster}-dashboard";

    /// <summary>The volumeClaimTemplate name; PVCs are <c>pgdata-&lt;pod&gt;</c>.</summary>
    public const string DataVolume = "pgdata";

    /// <summary>
    /// A member pod's name, as Kubernetes names a StatefulSet's pods: <c>&lt;statefulSet&gt;-&lt;ordinal&gt;</c>. Static, for
    /// whoever knows only the StatefulSet's name (the replication check gets it as an input).
    /// </summary>
    public static string Pod(string statefulSet, int ordinal) => $"{statefulSet}-{ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>Cluster DNS name of a Service in a namespace.</summary>
    public static string ServiceHost(string service, string ns) => $"{service}.{ns}.svc.cluster.local";
}
