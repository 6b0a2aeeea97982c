using PgHa.Core.Kubernetes;
using PgHa.Core.Naming;
using PgHa.Core.Settings;
using YamlDotNet.Serialization;

namespace PgHa.Core.Tests;

public class NamingAndHelpersTests
{
    [Fact]
    public void Names_derive_from_the_cluster_name()
    {
        var names = new ResourceNames("orders");
        Assert.Equal("orders", names.ReadWriteService);
        Assert.Equal("orders-ro", names.ReadOnlyService);
        Assert.Equal("orders-headless", names.HeadlessService);
        Assert.Equal("orders-2", ResourceNames.Pod(names.StatefulSet, 2));
        Assert.Equal("orders.team.svc.cluster.local", ResourceNames.ServiceHost(names.ReadWriteService, "team"));
    }

    [Fact]
    public void Longest_cluster_name_keeps_every_derived_name_within_63_characters()
    {
        var names = new ResourceNames(new string('a', SettingsLoader.MaxClusterNameLength));
        foreach (var name in new[] { names.HeadlessService, names.AppBootstrapJob, names.ReplicationSecret, $"{ResourceNames.DataVolume}-{ResourceNames.Pod(names.StatefulSet, 8)}" })
        {
            Assert.True(name.Length <= 63, $"{name} is {name.Length} characters");
        }
    }

    [Fact]
    public void Task_pods_name_the_cluster_and_purpose_but_are_never_selected_as_members()
    {
        var task = Labels.TaskPod("orders", "bootstrap");
        Assert.Equal("orders", task[Labels.Instance]);
        Assert.Equal("bootstrap", task[Labels.Component]);
        Assert.False(LabelSelector.Matches(Labels.Selector("orders"), task));
        Assert.True(LabelSelector.Matches(Labels.Selector("orders"), Labels.Common("orders", "database")));
    }

    [Fact]
    public void Label_selection_needs_every_selector_pair_and_an_empty_selector_selects_nothing()
    {
        var labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        Assert.True(LabelSelector.Matches(new Dictionary<string, string> { ["a"] = "1" }, labels));
        Assert.False(LabelSelector.Matches(new Dictionary<string, string> { ["a"] = "1", ["c"] = "3" }, labels));
        Assert.False(LabelSelector.Matches(new Dictionary<string, string> { ["a"] = "2" }, labels));
        Assert.False(LabelSelector.Matches(new Dictionary<string, string>(), labels));
    }

    [Fact]
    public void Selector_never_contains_the_role_so_it_stays_immutable()
    {
        Assert.DoesNotContain(Labels.RoleKey, Labels.Selector("c").Keys);
        Assert.Equal("replica", Labels.WithRole("c", Labels.ReplicaRole)[Labels.RoleKey]);
        Assert.Equal("c", Labels.Common("c", "database")[Labels.Instance]);
        Assert.Equal("pulumi", Labels.Common("c", "database")[Labels.ManagedBy]);
    }

    [Fact]
    public void Patroni_rbac_grants_only_configmaps_and_pods_in_the_namespace()
    {
        Assert.Equal(["configmaps", "pods"], PatroniPermissions.Rules.SelectMany(r => r.Resources).Order().ToArray());
        Assert.All(PatroniPermissions.Rules, r => Assert.Equal("", r.ApiGroup));
        Assert.DoesNotContain(PatroniPermissions.Rules, r => r.Verbs.Contains("delete") || r.Verbs.Contains("*"));
        Assert.Contains("patch", PatroniPermissions.Rules.Single(r => r.Resources.Contains("pods")).Verbs);
        Assert.Contains("create", PatroniPermissions.Rules.Single(r => r.Resources.Contains("configmaps")).Verbs);
    }

    [Fact]
    public void Eks_kubeconfig_gets_tokens_from_aws_cli_and_holds_none()
    {
        var yaml = EksKubeconfig.Render("prod", "https://ABC.eks.amazonaws.com", "Q0E=", "eu-central-1");
        var doc = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(yaml);
        Assert.Equal("eks-prod", doc["current-context"]);
        var user = (Dictionary<object, object>)((Dictionary<object, object>)((List<object>)doc["users"])[0])["user"];
        var exec = (Dictionary<object, object>)user["exec"];
        Assert.Equal("aws", exec["command"]);
        Assert.Equal(["eks", "get-token", "--cluster-name", "prod", "--region", "eu-central-1", "--output", "json"], ((List<object>)exec["args"]).Cast<string>().ToArray());
        Assert.False(user.ContainsKey("token"));
        Assert.Contains("server: https://ABC.eks.amazonaws.com", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_uri_escapes_the_password_and_verifies_the_server()
    {
        var uri = ConnectionStrings.PostgresUri("app", "p@ss:w/rd", "db.ns.svc.cluster.local", 5432, "app_db");
        Assert.Equal("postgresql://app:p%40ss%3Aw%2Frd@db.ns.svc.cluster.local:5432/app_db?sslmode=verify-full&sslrootcert=%2Fetc%2Fpgha-ca%2Fca.crt", uri);
    }

    [Fact]
    public void Termination_grace_covers_a_clean_shutdown_and_grows_with_ttl()
    {
        Assert.Equal(120, PodDefaults.TerminationGracePeriodSeconds(TestConfig.LoadValid().Patroni));
        Assert.Equal(180, PodDefaults.TerminationGracePeriodSeconds(TestConfig.LoadValid(("pgha:patroniTtl", "60")).Patroni));
    }

    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("2", 2)]
    [InlineData("1Gi", 1073741824)]
    [InlineData("1G", 1000000000)]
    [InlineData("1e3", 1000)]
    [InlineData("0.5", 0.5)]
    public void Kubernetes_quantities_parse(string text, double expected) =>
        Assert.Equal((decimal)expected, KubernetesQuantity.TryParse(text));

    [Theory]
    [InlineData("1GB")]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1 Gi")]
    public void Non_quantities_do_not_parse(string text) => Assert.Null(KubernetesQuantity.TryParse(text));

    [Theory]
    [InlineData("4GB", 4294967296)]
    [InlineData("512MB", 536870912)]
    [InlineData("8192kB", 8388608)]
    [InlineData("100B", 100)]
    public void Postgres_sizes_parse(string text, long expected) => Assert.Equal(expected, PostgresSize.TryParse(text));

    [Theory]
    [InlineData("4gb")]
    [InlineData("4")]
    [InlineData("4Gi")]
    [InlineData("-1")]
    public void Non_postgres_sizes_do_not_parse(string text) => Assert.Null(PostgresSize.TryParse(text));
}
