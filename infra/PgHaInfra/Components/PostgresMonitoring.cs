using PgHa.Core.Monitoring;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using Pulumi;
using KubernetesCustomResource = Pulumi.Kubernetes.ApiExtensions.CustomResource;
using Pulumi.Kubernetes.Core.V1;
using Pulumi.Kubernetes.Types.Inputs.Core.V1;

namespace PgHa.Infra.Components;

/// <param name="Patroni">The limits the alerts watch (lag, slot WAL cap).</param>
/// <param name="Monitoring">Where the alerts' runbook is.</param>
public sealed record PostgresMonitoringArgs(ClusterIdentity Cluster, PatroniSettings Patroni, MonitoringSettings Monitoring);

/// <summary>
/// Metrics, alerts and a dashboard (when <c>pgha:monitoring</c> is on): the exporter's query file, a PodMonitor
/// scraping Patroni's /metrics (HTTPS) and the exporter, a PrometheusRule with the alerts, and a Grafana dashboard ConfigMap.
/// </summary>
public sealed class PostgresMonitoring : ComponentResource
{
    /// <summary>The exporter's query file, which the StatefulSet's pods mount: created before them.</summary>
    public ConfigMap ExporterQueries { get; }

    [Output("prometheusRuleName")]
    public Output<string> PrometheusRuleName { get; }

    public PostgresMonitoring(string name, PostgresMonitoringArgs args, ComponentResourceOptions? options = null)
        : base("pgha:index:PostgresMonitoring", name, options)
    {
        var cluster = args.Cluster.Name;
        var ns = args.Cluster.Namespace;
        var names = new ResourceNames(cluster);
        var child = ChildOptions.Of(this, options);

        ExporterQueries = new ConfigMap($"{name}-exporter-queries", new ConfigMapArgs
        {
            Metadata = Metadata.For(names.ExporterQueries, ns, cluster, "monitoring"),
            Data = { [ExporterSidecar.QueriesFile] = Core.Monitoring.ExporterQueries.ToYaml() },
        }, child);

        var podMonitor = new SpecResourceArgs("monitoring.coreos.com/v1", "PodMonitor")
        {
            Metadata = Metadata.For(names.PodMonitor, ns, cluster, "monitoring"),
        };
        podMonitor.Spec.Add("selector", new Dictionary<string, object> { ["matchLabels"] = Labels.Selector(cluster) });
        podMonitor.Spec.Add("podMetricsEndpoints", new object[] { PatroniEndpoint(args.Cluster), Endpoint(ExporterSidecar.PortName) });
        _ = new KubernetesCustomResource($"{name}-podmonitor", podMonitor, child);

        var rules = new SpecResourceArgs("monitoring.coreos.com/v1", "PrometheusRule")
        {
            Metadata = Metadata.For(names.AlertRules, ns, cluster, "monitoring"),
        };
        foreach (var (key, value) in AlertRules.Groups(args.Cluster, args.Patroni, args.Monitoring.RunbookUrl))
        {
            rules.Spec.Add(key, value);
        }

        var rule = new KubernetesCustomResource($"{name}-rules", rules, child);

        _ = new ConfigMap($"{name}-dashboard", new ConfigMapArgs
        {
            Metadata = Metadata.For(names.Dashboard, ns, cluster, "monitoring",
                labels: new Dictionary<string, string> { ["grafana_dashboard"] = "1" }),
            Data = { [$"{cluster}.json"] = GrafanaDashboard.Json(args.Cluster) },
        }, child);

        PrometheusRuleName = rule.Metadata.Apply(m => m.Name);
        RegisterOutputs(new Dictionary<string, object?> { ["prometheusRuleName"] = PrometheusRuleName });
    }

    /// <summary>
    /// Patroni's /metrics over HTTPS (its REST API serves the cluster's certificate; a GET needs no client certificate).
    /// Prometheus scrapes the pod's IP, which no certificate names, so it checks the certificate for the headless
    /// Service's name, which the certificate carries, against the CA in the cluster's TLS Secret (ca.crt: the stack's CA
    /// or cert-manager's issuer's).
    /// </summary>
    private static Dictionary<string, object> PatroniEndpoint(ClusterIdentity cluster)
    {
        var names = new ResourceNames(cluster.Name);
        var endpoint = Endpoint(PatroniConfig.RestApiPortName);
        endpoint["scheme"] = "https";
        endpoint["tlsConfig"] = new Dictionary<string, object>
        {
            ["ca"] = new Dictionary<string, object>
            {
                ["secret"] = new Dictionary<string, object> { ["name"] = names.TlsSecret, ["key"] = Core.Tls.ClusterTls.CaKey },
            },
            ["serverName"] = $"{names.HeadlessService}.{cluster.Namespace}.svc.{Core.Tls.ClusterTlsNames.ClusterDomain}",
        };
        return endpoint;
    }

    /// <summary>A scrape endpoint; series get <c>cluster</c> and <c>pod</c> labels, which the alerts select on.</summary>
    private static Dictionary<string, object> Endpoint(string port) => new()
    {
        ["port"] = port,
        ["path"] = "/metrics",
        ["interval"] = "30s",
        ["relabelings"] = new object[]
        {
            new Dictionary<string, object>
            {
                ["sourceLabels"] = new[] { "__meta_kubernetes_pod_label_app_kubernetes_io_instance" },
                ["targetLabel"] = "cluster",
            },
            new Dictionary<string, object> { ["sourceLabels"] = new[] { "__meta_kubernetes_pod_name" }, ["targetLabel"] = "pod" },
        },
    };
}
