using System.Collections.Immutable;
using System.Text.Json;
using PgHa.Core.Credentials;
using PgHa.Infra.Components;
using Pulumi;
using static PgHaInfra.Tests.StackRunner;

namespace PgHaInfra.Tests;

/// <summary>
/// The monitoring role in the stack: its password generated once by our provider and held only by its Secret, the
/// bootstrap Job that creates the role, and the replication check that names the Secret instead of holding a password.
/// </summary>
[Collection(PulumiCollection.Name)]
public class MonitoringRoleStackTests
{
    private static ImmutableDictionary<string, object> Map(object value) => (ImmutableDictionary<string, object>)value;

    [Theory]
    [MemberData(nameof(StackVariants.Names), MemberType = typeof(StackVariants))]
    public async Task The_monitoring_password_is_only_in_its_secret_and_the_check_holds_no_password(string variant)
    {
        var run = await RunAsync(StackVariants.All[variant]);
        var generated = Assert.Single(run.OfType(GeneratedPasswordContract.ResourceType));
        Assert.Equal(32, Convert.ToInt32(generated.Inputs[GeneratedPasswordContract.InputName.Length], System.Globalization.CultureInfo.InvariantCulture));

        var holders = run.Registered.Where(r => JsonSerializer.Serialize(r.Inputs).Contains(MockMonitoringPassword, StringComparison.Ordinal))
            .Select(r => $"{r.Type} {r.Name}").ToArray();
        Assert.Equal(["kubernetes:core/v1:Secret orders-monitoring"], holders);

        foreach (var check in run.OfType("pgha:index:ReplicationCheck"))
        {
            Assert.Equal("orders-monitoring", check.Inputs["credentialsSecretName"]);
            Assert.DoesNotContain(check.Inputs.Keys, k => k.Contains("password", StringComparison.OrdinalIgnoreCase) || k == "username");
        }
    }

    [Fact]
    public async Task The_bootstrap_job_creates_the_role_from_its_secret_and_runs_again_for_a_new_password()
    {
        var run = await RunAsync(ValidConfig());
        var job = Assert.Single(run.OfType("kubernetes:batch/v1:Job"), j => Map(j.Inputs["metadata"])["name"].Equals("orders-app-bootstrap"));
        var container = Map(((ImmutableArray<object>)Map(Map(Map(job.Inputs["spec"])["template"])["spec"])["containers"]).Single());
        var env = ((ImmutableArray<object>)container["env"]).Select(Map).ToDictionary(e => (string)e["name"]);

        ImmutableDictionary<string, object> SecretRef(string name) => Map(Map(env[name]["valueFrom"])["secretKeyRef"]);
        Assert.Equal("orders-monitoring", SecretRef("MONITORING_USER")["name"]);
        Assert.Equal("username", SecretRef("MONITORING_USER")["key"]);
        Assert.Equal("orders-monitoring", SecretRef("MONITORING_PASSWORD")["name"]);
        Assert.Equal("password", SecretRef("MONITORING_PASSWORD")["key"]);
        // The password's version (not secret) is in the pod template: a new password changes the template, so the Job runs again.
        Assert.Equal(MockMonitoringPasswordVersion, env["MONITORING_PASSWORD_VERSION"]["value"]);
        // Creating roles is the superuser's job: the Job connects as it.
        Assert.Equal("orders-superuser", SecretRef("PGPASSWORD")["name"]);

        var secrets = run.Single<PostgresSecrets>();
        Assert.Equal("orders-monitoring", await ValueOf(secrets.MonitoringSecretName));
        Assert.False(await Output.IsSecretAsync(secrets.MonitoringPasswordVersion), "the version says nothing about the password");
    }
}
