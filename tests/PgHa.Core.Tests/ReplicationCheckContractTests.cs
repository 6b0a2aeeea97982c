using PgHa.Core.Settings;
using PgHa.Core.Verification;

namespace PgHa.Core.Tests;

/// <summary>The replication check's one declaration is complete and has one connection-mode enum, the settings'.</summary>
public class ReplicationCheckContractTests
{
    [Fact]
    public void Every_connection_mode_has_one_spelling_the_settings_and_the_provider_share()
    {
        var modes = Enum.GetValues<CheckConnectionMode>();
        Assert.Equal(["portForward", "direct"], modes.Select(ReplicationCheckContract.ConnectionModeName));
        Assert.All(modes, m => Assert.Equal(m, ReplicationCheckContract.ParseConnectionMode(ReplicationCheckContract.ConnectionModeName(m))));
        Assert.All(modes, m => Assert.Equal(ReplicationCheckContract.ConnectionModeName(m), new CheckSettings(m, 600).ConnectionModeName));
        Assert.Null(ReplicationCheckContract.ParseConnectionMode("PortForward"));
        Assert.Equal(modes.Select(ReplicationCheckContract.ConnectionModeName), ReplicationCheckContract.Input(ReplicationCheckContract.InputName.ConnectionMode).AllowedValues);
    }

    [Fact]
    public void Each_property_is_declared_once_with_what_its_kind_needs()
    {
        var inputs = ReplicationCheckContract.Inputs;
        var outputs = ReplicationCheckContract.Outputs;
        Assert.Equal(inputs.Count, inputs.Select(i => i.Name).Distinct().Count());
        Assert.Equal(outputs.Count, outputs.Select(o => o.Name).Distinct().Count());
        Assert.All(inputs.Where(i => i.Type is ContractValueType.Integer or ContractValueType.Number),
            i => Assert.True(i.Minimum < i.Maximum, $"{i.Name} needs its limits"));
        Assert.All(inputs.Where(i => i.Default is not null), i => Assert.False(i.Required, $"{i.Name} has a default, so it is optional"));
        Assert.All(outputs.Where(o => o.Type is ContractValueType.Object or ContractValueType.ObjectArray),
            o => Assert.True(o.TypeName is not null && o.Fields is { Count: > 0 }, $"{o.Name} needs its type name and fields"));
        // No password: the check reads its role's credentials from their Secret (credentialsSecretName) when it runs.
        Assert.Equal(["kubeconfig"], inputs.Where(i => i.Secret).Select(i => i.Name));
        Assert.DoesNotContain(outputs, o => o.Secret);
    }

    [Fact]
    public void A_rule_says_what_a_value_must_be()
    {
        Assert.Equal("replicas must be a whole number from 2 to 9.", ReplicationCheckContract.Input("replicas").Rule());
        Assert.Equal("maxLagBytes must be a whole number from 0 to 1000000000000000.", ReplicationCheckContract.Input("maxLagBytes").Rule());
        Assert.Equal("connectionMode \"ssh\" must be portForward or direct.", ReplicationCheckContract.Input("connectionMode").Rule("ssh"));
        Assert.Equal("namespace is required (a non-empty string).", ReplicationCheckContract.Input("namespace").Rule());
        Assert.Equal("expectArchiving must be true or false.", ReplicationCheckContract.Input("expectArchiving").Rule());
        Assert.Throws<ArgumentException>(() => ReplicationCheckContract.Input("nope"));
    }
}
