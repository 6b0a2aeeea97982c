using PgHa.Core.Preflight;
using PgHa.Core.Settings;
using YamlDotNet.RepresentationModel;

namespace PgHa.Core.Tests;

/// <summary>
/// The committed stacks can pass the preflight: on a cluster that holds what their "fact" comments say (the namespace,
/// the app's ConfigMap and Deployment) and what any EKS cluster for them needs (the EBS CSI driver, three usable
/// nodes over three zones), nothing is reported. A stack whose own values contradict each other could never pass.
/// </summary>
public class CommittedStackPreflightTests
{
    private static PgHaSettings Load(string stackFile)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(RepoFiles.Read(stackFile)))
        {
            stream.Load(reader);
        }

        var config = (YamlMappingNode)((YamlMappingNode)stream.Documents[0].RootNode).Children[new YamlScalarNode("config")];
        var values = config.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value!);
        foreach (var secret in ConfigKeys.All.Where(k => k.Secret))
        {
            values[secret.FullName] = "set-by-the-documented-command";
        }

        return SettingsLoader.Load(new DictionaryStackConfig(values));
    }

    /// <summary>The cluster the facts describe: an existing namespace holding the app's ConfigMap and Deployment.</summary>
    private static ClusterSnapshot ClusterOfTheFacts(PgHaSettings settings, string ns, string configMap, string deployment)
    {
        var none = new Dictionary<string, string>();
        return new ClusterSnapshot
        {
            Namespace = new ObservedObject(null, ns, none),
            CsiDrivers = [PreflightReads.EbsCsiDriver],
            Nodes = new[] { "a", "b", "c" }.Select(z => new ObservedNode($"ip-10-0-0-{z}", $"ip-10-0-0-{z}", $"eu-central-1{z}", true, false, [], 3.92m, 15m * 1024 * 1024 * 1024))
                .ToArray(),
            ConfigMaps = [new ObservedObject(ns, configMap, none)],
            Deployments = [new ObservedObject(ns, deployment, none)],
        };
    }

    [Theory]
    [InlineData("Pulumi.dev.yaml", "20890-ideaforge-ai-dev-58a50")]
    [InlineData("Pulumi.prod.yaml", "ideaforge-ai-prod")]
    public void A_cluster_holding_the_facts_passes_the_committed_stack(string stackFile, string ns)
    {
        var settings = Load(stackFile);
        Assert.Equal(ns, settings.Cluster.Namespace);
        var report = PreflightEvaluator.Evaluate(settings, ClusterOfTheFacts(settings, ns, "ideaforge-ai-config", "backend"));
        Assert.True(report.Problems.Count == 0, string.Join(Environment.NewLine, report.Problems));
    }

    [Theory]
    [InlineData("Pulumi.dev.yaml")]
    [InlineData("Pulumi.prod.yaml")]
    public void Every_committed_value_says_whether_it_is_a_fact_or_to_confirm(string stackFile)
    {
        var lines = RepoFiles.Read(stackFile).Split('\n').SkipWhile(l => !l.StartsWith("config:", StringComparison.Ordinal)).Skip(1)
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.TrimStart().StartsWith('#')).ToArray();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.True(l.Contains("# fact: ", StringComparison.Ordinal) || l.Contains("# confirm", StringComparison.Ordinal), l));
    }
}
