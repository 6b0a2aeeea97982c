using PgHa.Core.Backup;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.Preflight;

/// <summary>
/// What the preflight asks the cluster for, derived from the settings in one place so that the reader and the
/// evaluator agree: the namespace, CRDs, existing objects and Secrets the settings name, and this cluster's
/// StatefulSet and volume claims. StorageClasses and nodes are always listed; CSI drivers on eks.
/// </summary>
public sealed record PreflightReads(
    string Namespace,
    bool CsiDrivers,
    IReadOnlyList<CrdRequirement> CustomResourceDefinitions,
    IReadOnlyList<ObjectRequirement> ConfigMaps,
    IReadOnlyList<ObjectRequirement> Deployments,
    IReadOnlyList<SecretRequirement> Secrets,
    string StatefulSet,
    string ClaimPrefix)
{
    public const string PodMonitorCrd = "podmonitors.monitoring.coreos.com";
    public const string PrometheusRuleCrd = "prometheusrules.monitoring.coreos.com";
    public const string EbsCsiDriver = "ebs.csi.aws.com";

    /// <summary>cert-manager's Certificate, and the CRD of each issuer kind pgha:certManagerIssuer may name.</summary>
    public const string CertificateCrd = "certificates.cert-manager.io";
    public const string IssuerCrd = "issuers.cert-manager.io";
    public const string ClusterIssuerCrd = "clusterissuers.cert-manager.io";

    /// <summary>Karpenter's node pools (also EKS Auto Mode): nodes appear for Pending pods.</summary>
    public const string KarpenterNodePoolCrd = "nodepools.karpenter.sh";

    /// <summary>The status ConfigMap cluster-autoscaler keeps while it runs.</summary>
    public const string ClusterAutoscalerNamespace = "kube-system";
    public const string ClusterAutoscalerStatus = "cluster-autoscaler-status";

    public static PreflightReads For(PgHaSettings settings)
    {
        var ns = settings.Cluster.Namespace;
        var names = new ResourceNames(settings.Cluster.Name);
        string[] credentialKeys = [SpiloEnvironment.UsernameKey, SpiloEnvironment.PasswordKey];

        var secrets = new List<SecretRequirement>();
        var credentials = settings.Credentials;
        if (credentials.Superuser.ExistingSecretName is { } superuser)
        {
            secrets.Add(new SecretRequirement(ns, superuser, ConfigKeys.ExistingSuperuserSecret, "superuser", credentialKeys, Defaults.SuperuserName,
                "Patroni and Spilo's scripts connect as the postgres OS user over the pod's socket (peer authentication), so the superuser role must be postgres."));
        }

        if (credentials.Replication.ExistingSecretName is { } replication)
        {
            secrets.Add(new SecretRequirement(ns, replication, ConfigKeys.ExistingReplicationSecret, "replication role", credentialKeys));
        }

        if (credentials.App.ExistingSecretName is { } app)
        {
            secrets.Add(new SecretRequirement(ns, app, ConfigKeys.ExistingAppSecret, "app role", credentialKeys));
        }

        if (settings.Migration is { } migration)
        {
            secrets.Add(new SecretRequirement(ns, migration.SecretName, ConfigKeys.MigrationSourceSecret, "old PostgreSQL (migration source)", credentialKeys));
        }

        if (settings.Backup?.Storage.CredentialsSecret is { } backup)
        {
            secrets.Add(new SecretRequirement(ns, backup, ConfigKeys.BackupCredentialsSecret, "S3-compatible backup store",
                [WalGEnvironment.AccessKeyIdKey, WalGEnvironment.SecretAccessKeyKey]));
        }

        var configMaps = new List<ObjectRequirement>();
        var deployments = new List<ObjectRequirement>();
        if (settings.AppConfig is { } appConfig)
        {
            configMaps.Add(new ObjectRequirement("ConfigMap", appConfig.Namespace, appConfig.ConfigMap, ConfigKeys.AppConfig,
                "the stack writes the connection values into it after the database is verified"));
            deployments.AddRange(appConfig.RestartDeployments.Select(d => new ObjectRequirement("Deployment", appConfig.Namespace, d,
                ConfigKeys.AppRestartDeployments, "the stack restarts it when the connection values change")));
        }

        if (settings.Migration?.ScaleDownDeployment is { } old)
        {
            deployments.Add(new ObjectRequirement("Deployment", ns, old, ConfigKeys.MigrationScaleDownDeployment,
                "the stack scales it to zero after a verified migration"));
        }

        return new PreflightReads(
            ns,
            settings.Cluster.Platform == Platform.Eks,
            CrdsFor(settings),
            configMaps,
            deployments,
            secrets,
            names.StatefulSet,
            $"{ResourceNames.DataVolume}-{names.StatefulSet}-");
    }

    private static List<CrdRequirement> CrdsFor(PgHaSettings settings)
    {
        var crds = new List<CrdRequirement>();
        if (settings.Monitoring.Enabled)
        {
            crds.AddRange(new[] { PodMonitorCrd, PrometheusRuleCrd }.Select(name => new CrdRequirement(name, ConfigKeys.Monitoring, "true",
                "the Prometheus Operator", "the PodMonitor and PrometheusRule",
                $"install the Prometheus Operator (e.g. the kube-prometheus-stack Helm chart), or: {ConfigKeys.Monitoring.SetCommand("false")}")));
        }

        if (settings.CertManagerIssuer is { } issuer)
        {
            var issuerCrd = issuer.Kind == "ClusterIssuer" ? ClusterIssuerCrd : IssuerCrd;
            crds.AddRange(new[] { CertificateCrd, issuerCrd }.Select(name => new CrdRequirement(name, ConfigKeys.CertManagerIssuer, issuer.ToString(),
                "cert-manager", $"the Certificate issued by {issuer}",
                $"install cert-manager (https://cert-manager.io/docs/installation/), or remove the key so the stack issues the certificate itself: pulumi config rm {ConfigKeys.CertManagerIssuer.FullName}")));
        }

        return crds;
    }
}
