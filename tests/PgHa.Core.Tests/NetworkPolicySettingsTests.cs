using PgHa.Core.Kubernetes;

namespace PgHa.Core.Tests;

public class NetworkPolicySettingsTests
{
    [Fact]
    public void Policies_are_on_by_default_for_every_pod_of_the_clusters_namespace_and_prometheus_in_monitoring()
    {
        var policies = TestConfig.LoadValid().NetworkPolicies;
        Assert.NotNull(policies);
        Assert.Equal("team-db", policies.AppNamespace);
        Assert.Empty(policies.AppPodLabels);
        Assert.Equal("monitoring", policies.MonitoringNamespace);
    }

    [Fact]
    public void Turned_off_there_are_none()
    {
        Assert.Null(TestConfig.LoadValid(("pgha:networkPolicies", "false")).NetworkPolicies);
    }

    [Fact]
    public void The_app_pods_are_chosen_by_namespace_and_labels()
    {
        var policies = TestConfig.LoadValid(("pgha:appPodNamespace", "frontend"), ("pgha:appPodSelector", " app=backend , example.com/tier=api"),
            ("pgha:monitoringNamespace", "observability")).NetworkPolicies!;
        Assert.Equal("frontend", policies.AppNamespace);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "backend", ["example.com/tier"] = "api" }, policies.AppPodLabels);
        Assert.Equal("observability", policies.MonitoringNamespace);
    }

    [Theory]
    [InlineData("app", "not key=value")]
    [InlineData("app!=backend", "not key=value")]
    [InlineData("app==backend", "not key=value")]
    [InlineData("app in (a,b)", "not key=value")]
    [InlineData("-app=x", "is not a label key")]
    [InlineData("Example.COM/app=x", "prefix")]
    [InlineData("app=-x", "is not a label value")]
    [InlineData("app=a,app=b", "twice")]
    [InlineData(",", "selects nothing")]
    public void A_bad_app_selector_is_an_error_naming_the_key(string selector, string problem)
    {
        var error = TestConfig.SingleError("pgha:appPodSelector", ("pgha:appPodSelector", selector));
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains("pgha:appPodSelector", error.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pgha:appPodNamespace", "Front_End")]
    [InlineData("pgha:monitoringNamespace", "-monitoring")]
    [InlineData("pgha:networkPolicies", "maybe")]
    public void Bad_namespaces_and_switches_are_errors_naming_the_key(string key, string value)
    {
        TestConfig.SingleError(key, (key, value));
    }

    [Fact]
    public void An_empty_value_selects_every_value_of_the_key_only_when_written_so()
    {
        Assert.Equal(new Dictionary<string, string> { ["app"] = "" }, LabelSelectorText.Parse("app="));
        Assert.Throws<ArgumentException>(() => LabelSelectorText.Parse("app"));
    }
}
