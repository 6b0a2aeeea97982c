using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Moq;
using PgHa.Core.Verification;
using PgHa.Provider;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using static PgHa.Provider.Tests.ReplicationCheckProviderTests;
using In = PgHa.Core.Verification.ReplicationCheckContract.InputName;

namespace PgHa.Provider.Tests;

/// <summary>The provider serves its schema, checks and diffs from the one declaration of the resource (ReplicationCheckContract).</summary>
public class ReplicationCheckContractTests
{
    private static async Task<JsonElement> SchemaAsync()
    {
        var (provider, _) = Create();
        var response = await provider.GetSchema(new GetSchemaRequest(0, null!, null!), CancellationToken.None);
        return JsonDocument.Parse(response.Schema!).RootElement;
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    private static string[] Strings(JsonElement element) => element.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task The_schema_declares_the_resource_with_every_input_and_output_of_the_contract()
    {
        var schema = await SchemaAsync();
        Assert.Equal("pgha", schema.GetProperty("name").GetString());
        Assert.Equal(ReplicationCheckProvider.Version, schema.GetProperty("version").GetString());
        var resource = schema.GetProperty("resources").GetProperty("pgha:index:ReplicationCheck");

        var inputs = resource.GetProperty("inputProperties");
        Assert.Equal(ReplicationCheckContract.Inputs.Select(i => i.Name), Names(inputs));
        Assert.Equal(ReplicationCheckContract.Inputs.Where(i => i.Required).Select(i => i.Name), Strings(resource.GetProperty("requiredInputs")));
        // No password among the inputs: the check reads its role's credentials from their Secret when it runs.
        Assert.Equal([In.Kubeconfig], Names(inputs).Where(n => inputs.GetProperty(n).TryGetProperty("secret", out var s) && s.GetBoolean()));
        Assert.DoesNotContain(Names(inputs), n => n.Contains("password", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("integer", inputs.GetProperty(In.Replicas).GetProperty("type").GetString());
        Assert.EndsWith("replicas must be a whole number from 2 to 9.", inputs.GetProperty(In.Replicas).GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("portForward", inputs.GetProperty(In.ConnectionMode).GetProperty("default").GetString());
        Assert.EndsWith("connectionMode must be portForward or direct.", inputs.GetProperty(In.ConnectionMode).GetProperty("description").GetString(), StringComparison.Ordinal);

        var outputs = resource.GetProperty("properties");
        Assert.Equal(ReplicationCheckContract.Outputs.Select(o => o.Name), Names(outputs));
        Assert.Equal(ReplicationCheckContract.Outputs.Where(o => o.Required).Select(o => o.Name), Strings(resource.GetProperty("required")));
        var replicaType = outputs.GetProperty("replicas").GetProperty("items").GetProperty("$ref").GetString()!;
        Assert.Equal("#/types/pgha:index:ReplicaReport", replicaType);
        var replica = schema.GetProperty("types").GetProperty("pgha:index:ReplicaReport").GetProperty("properties");
        Assert.Equal(["name", "state", "replayLagBytes", "slot", "slotActive"], Names(replica));
        Assert.Equal("#/types/pgha:index:MigrationReport", outputs.GetProperty("migration").GetProperty("$ref").GetString());
    }

    public static TheoryData<string> LimitedInputs() =>
        [.. ReplicationCheckContract.Inputs.Where(i => i.Minimum is not null).Select(i => i.Name)];

    [Theory]
    [MemberData(nameof(LimitedInputs))]
    public async Task Check_accepts_a_number_exactly_within_the_contracts_limits(string name)
    {
        var input = ReplicationCheckContract.Input(name);
        var (provider, _) = Create();
        foreach (var (value, accepted) in new[] { (input.Minimum!.Value, true), (input.Maximum!.Value, true), (input.Minimum.Value - 1, false), (input.Maximum.Value + 1, false) })
        {
            var response = await provider.Check(CheckRequestFor(Inputs((name, new PropertyValue((double)value)))), CancellationToken.None);
            if (accepted)
            {
                Assert.True(response.Failures!.Count == 0, $"{name}={value.ToString(CultureInfo.InvariantCulture)}: {string.Join("; ", response.Failures!.Select(f => f.Reason))}");
            }
            else
            {
                var failure = Assert.Single(response.Failures!);
                Assert.Equal((name, input.Rule()), (failure.Property, failure.Reason));
            }
        }
    }

    public static TheoryData<string> RequiredInputs() =>
        [.. ReplicationCheckContract.Inputs.Where(i => i.Required).Select(i => i.Name)];

    [Theory]
    [MemberData(nameof(RequiredInputs))]
    public async Task Check_refuses_a_missing_required_input_naming_it(string name)
    {
        var (provider, _) = Create();
        var response = await provider.Check(CheckRequestFor(Inputs((name, null))), CancellationToken.None);
        var failure = Assert.Single(response.Failures!);
        Assert.Equal((name, ReplicationCheckContract.Input(name).Rule()), (failure.Property, failure.Reason));
    }

    [Fact]
    public async Task Optional_inputs_may_be_missing_and_a_missing_connection_mode_is_the_contracts_default()
    {
        var optional = ReplicationCheckContract.Inputs.Where(i => !i.Required).Select(i => (i.Name, (PropertyValue?)null)).ToArray();
        Assert.Contains(In.ConnectionMode, optional.Select(o => o.Name));
        var (provider, runner) = Create();
        var inputs = Inputs(optional);
        Assert.Empty((await provider.Check(CheckRequestFor(inputs), CancellationToken.None)).Failures!);
        await provider.Create(new CreateRequest(CheckUrn, inputs, TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        runner.Verify(r => r.RunAsync(It.Is<ReplicationCheckInputs>(i => i.ConnectionMode == PgHa.Core.Settings.CheckConnectionMode.PortForward && i.Kubeconfig == null),
            It.IsAny<Action<string>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    public static TheoryData<string> AllInputs() => [.. ReplicationCheckContract.Inputs.Select(i => i.Name)];

    [Theory]
    [MemberData(nameof(AllInputs))]
    public async Task A_change_of_any_input_verifies_again_and_replaces_nothing(string name)
    {
        var (provider, _) = Create();
        var changed = Inputs((name, new PropertyValue("changed")));
        var diff = await provider.Diff(new DiffRequest(CheckUrn, "team-db/db", Inputs(), changed, ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);
        Assert.Equal([name], diff.Diffs);
        Assert.Empty(diff.Replaces!);
    }

    [Fact]
    public async Task A_passed_check_sets_every_output_of_the_contract()
    {
        var (provider, _) = Create();
        var response = await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: false), CancellationToken.None);
        Assert.Equal(ReplicationCheckContract.Outputs.Select(o => o.Name).Order(), response.Outputs!.Keys.Order());
        Assert.All(ReplicationCheckContract.Outputs.Where(o => o.Required), o => Assert.False(response.Outputs[o.Name].IsNull, o.Name));
        var preview = await provider.Create(new CreateRequest(CheckUrn, Inputs(), TimeSpan.FromMinutes(5), preview: true), CancellationToken.None);
        Assert.Equal(ReplicationCheckContract.Outputs.Select(o => o.Name).Order(), preview.Outputs!.Keys.Order());
    }
}
