using PgHa.Core.Kubernetes;
using PgHa.Core.Naming;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// The NetworkPolicies of every stack variant, evaluated over the stack's own pod templates (the members, in each
/// role, and the Jobs' pods), the configured app pods, Prometheus, DNS, addresses outside the cluster and strangers:
/// exactly the flows the cluster needs are admitted, every other combination of these ends and ports is not.
/// </summary>
[Collection(PulumiCollection.Name)]
public class NetworkPolicyGraphTests
{
    private const int Postgres = 5432;
    private const int Patroni = 8008;
    private const int Exporter = 9187;
    private static readonly int[] Ports = [Postgres, Patroni, Exporter, 53, 80, 443, 6443, 8080, 9000];

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task The_policies_admit_exactly_the_flows_the_cluster_needs(string variant)
    {
        var config = StackVariants.All[variant];
        var run = await RunAsync(config);
        var policies = RecordedNetworkPolicies.Of(run);
        if (config.GetValueOrDefault("pgha:networkPolicies") == "false")
        {
            Assert.Equal(0, policies.Count);
            return;
        }

        var ns = config["pgha:namespace"];
        var appNamespace = config.GetValueOrDefault("pgha:appPodNamespace") ?? ns;
        var appSelector = config.GetValueOrDefault("pgha:appPodSelector") is { } text ? LabelSelectorText.Parse(text) : new Dictionary<string, string>();
        var monitoringNamespace = config.GetValueOrDefault("pgha:monitoringNamespace") ?? "monitoring";
        var monitoring = config.GetValueOrDefault("pgha:monitoring") == "true";
        var backups = config.GetValueOrDefault("pgha:backups") == "true";
        var storePort = config.GetValueOrDefault("pgha:backupS3Endpoint") is { } endpoint ? new Uri(endpoint).Port : 443;
        var migrationPort = config.ContainsKey("pgha:migrationSourceHost") ? int.Parse(config.GetValueOrDefault("pgha:migrationSourcePort") ?? "5432",
            System.Globalization.CultureInfo.InvariantCulture) : (int?)null;

        var templates = SelectorGraphTests.PodTemplates(run).ToArray();
        var statefulSet = Assert.Single(templates, t => t.Kind == "kubernetes:apps/v1:StatefulSet");
        var members = SelectorGraphTests.RuntimeLabels(statefulSet, Labels.RoleKey)
            .Select((labels, i) => FlowEndpoint.Pod($"member ({(labels.TryGetValue(Labels.RoleKey, out var role) ? role : "no role yet")})", ns, labels))
            .ToArray();
        var tasks = templates.Where(t => t.Kind == "kubernetes:batch/v1:Job")
            .Select(t => FlowEndpoint.Pod(t.Owner, ns, t.Labels)).ToArray();
        Assert.NotEmpty(tasks);
        var migrationTask = tasks.SingleOrDefault(t => t.Labels[Labels.Component] == Labels.MigrationTask);

        var app = FlowEndpoint.Pod("an app pod", appNamespace, new Dictionary<string, string>(appSelector) { ["app.kubernetes.io/part-of"] = "the-app" });
        var prometheus = FlowEndpoint.Pod("Prometheus", monitoringNamespace, new Dictionary<string, string> { ["app.kubernetes.io/name"] = "prometheus" });
        var dns = FlowEndpoint.Pod("cluster DNS", "kube-system", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        var external = FlowEndpoint.External("an address outside the cluster (API server, S3)");
        var stranger = FlowEndpoint.Pod("a pod of another team", "other-team", new Dictionary<string, string> { ["app"] = "curious" });
        var dnsLookalike = FlowEndpoint.Pod("a kube-dns-labelled pod outside kube-system", "other-team", new Dictionary<string, string> { ["k8s-app"] = "kube-dns" });
        var ends = new List<FlowEndpoint>(members) { app, prometheus, dns, external, stranger, dnsLookalike };
        ends.AddRange(tasks);
        var neighbour = appSelector.Count > 0 || appNamespace != ns
            ? FlowEndpoint.Pod("an unlabelled pod of the cluster's namespace", ns, new Dictionary<string, string> { ["app"] = "neighbour" })
            : null;
        if (neighbour is not null)
        {
            ends.Add(neighbour);
        }

        bool IsMember(FlowEndpoint e) => members.Contains(e);
        bool Expected(FlowEndpoint from, FlowEndpoint to, int port, string protocol)
        {
            // Ends this stack's policies do not select talk freely with each other (other policies are not ours).
            var fromOurs = IsMember(from) || tasks.Contains(from);
            var toOurs = IsMember(to) || tasks.Contains(to);
            if (!fromOurs && !toOurs)
            {
                return true;
            }

            if (tasks.Contains(to))
            {
                return false;
            }

            if (IsMember(to))
            {
                var admittedIn = protocol == "TCP" && (
                    (port == Postgres && (IsMember(from) || tasks.Contains(from) || from == app))
                    || (port == Patroni && (IsMember(from) || (monitoring && from == prometheus)))
                    || (port == Exporter && monitoring && from == prometheus));
                var admittedOut = !fromOurs || (IsMember(from)
                    ? port is Postgres or Patroni
                    : port == Postgres || (from == migrationTask && port == migrationPort));
                return admittedIn && admittedOut;
            }

            // From one of ours to something else.
            if (to == dns && port == 53)
            {
                return true;
            }

            if (IsMember(from))
            {
                return protocol == "TCP" && to == external && (port is 443 or 6443 || (backups && port == storePort))
                    || protocol == "TCP" && backups && storePort is not (443 or 6443) && port == storePort && !to.IsExternal;
            }

            return from == migrationTask && protocol == "TCP" && port == migrationPort;
        }

        var problems = new List<string>();
        foreach (var from in ends)
        {
            foreach (var to in ends.Where(e => e != from))
            {
                foreach (var (port, protocol) in Ports.Select(p => (p, "TCP")).Append((53, "UDP")))
                {
                    var expected = Expected(from, to, port, protocol);
                    if (policies.Admits(from, to, port, protocol) != expected)
                    {
                        problems.Add($"{from} -> {to} {port}/{protocol}: {(expected ? "refused, should be admitted" : "admitted, should be refused")}");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, $"{variant}:\n  " + string.Join("\n  ", problems));
    }
}
