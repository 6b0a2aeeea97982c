using System.Collections.Immutable;
using PgHa.Core.Credentials;
using PgHa.Provider;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using In = PgHa.Core.Credentials.GeneratedPasswordContract.InputName;
using Out = PgHa.Core.Credentials.GeneratedPasswordContract.OutputName;

namespace PgHa.Provider.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class GeneratedPasswordProviderTests
{
    private static readonly Urn PasswordUrn = new("urn:pulumi:dev::pgha::pgha:index:PostgresHaCluster$pgha:index:GeneratedPassword::db-monitoring-password");

    private static ImmutableDictionary<string, PropertyValue> Inputs(int length = 32) =>
        new Dictionary<string, PropertyValue> { [In.Length] = new(length) }.ToImmutableDictionary();

    private static async Task<ImmutableDictionary<string, PropertyValue>> CreatedAsync(GeneratedPasswordProvider provider, int length = 32) =>
        (await provider.Create(new CreateRequest(PasswordUrn, Inputs(length), TimeSpan.FromMinutes(1), preview: false), CancellationToken.None))
        .Outputs!.ToImmutableDictionary();

    private static string Text(IDictionary<string, PropertyValue> outputs, string name) =>
        outputs[name].TryGetString(out var text) ? text : throw new InvalidOperationException($"{name} is not a string: {outputs[name]}");

    private static Task<DiffResponse> DiffAsync(GeneratedPasswordProvider provider, ImmutableDictionary<string, PropertyValue> state,
        ImmutableDictionary<string, PropertyValue> inputs) =>
        provider.Diff(new DiffRequest(PasswordUrn, "db-monitoring-password", state, inputs, ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);

    [Fact]
    public async Task Create_generates_a_secret_password_of_the_length_and_a_version_not_derived_from_it()
    {
        var provider = new GeneratedPasswordProvider();
        var outputs = await CreatedAsync(provider, 40);
        Assert.Equal(GeneratedPasswordContract.Outputs.Select(o => o.Name).Order(), outputs.Keys.Order());
        Assert.True(outputs[Out.Password].IsSecret);
        Assert.All(GeneratedPasswordContract.Outputs.Where(o => !o.Secret), o => Assert.False(outputs[o.Name].IsSecret, o.Name));
        var password = Text(outputs, Out.Password);
        Assert.Equal(40, password.Length);
        Assert.All(password, c => Assert.Contains(c, PasswordGenerator.Alphabet));
        Assert.DoesNotContain(password, Text(outputs, Out.Version), StringComparison.Ordinal);

        // Two resources get two passwords.
        var other = await CreatedAsync(provider, 40);
        Assert.NotEqual(password, Text(other, Out.Password));
        Assert.NotEqual(Text(outputs, Out.Version), Text(other, Out.Version));
    }

    [Fact]
    public async Task The_password_stays_on_every_later_run_and_refresh_and_is_new_only_with_another_length()
    {
        var provider = new GeneratedPasswordProvider();
        var state = await CreatedAsync(provider);

        var same = await DiffAsync(provider, state, Inputs());
        Assert.False(same.Changes);
        Assert.Empty(same.Replaces!);

        var read = await provider.Read(new ReadRequest(PasswordUrn, "db-monitoring-password", state, Inputs()), CancellationToken.None);
        Assert.Equal(Text(state, Out.Password), Text(read.Outputs!, Out.Password));

        var longer = await DiffAsync(provider, state, Inputs(48));
        Assert.True(longer.Changes);
        Assert.Equal([In.Length], longer.Replaces);

        // A state without a password (an interrupted create) gets one.
        var broken = state.Remove(Out.Password);
        Assert.True((await DiffAsync(provider, broken, Inputs())).Changes);
    }

    [Fact]
    public async Task Preview_shows_the_password_unknown_and_check_names_a_bad_length()
    {
        var provider = new GeneratedPasswordProvider();
        var preview = await provider.Create(new CreateRequest(PasswordUrn, Inputs(), TimeSpan.FromMinutes(1), preview: true), CancellationToken.None);
        Assert.True(preview.Outputs![Out.Password].IsComputed);

        var check = await provider.Check(new CheckRequest(PasswordUrn, ImmutableDictionary<string, PropertyValue>.Empty, Inputs(8),
            ImmutableArray<byte>.Empty), CancellationToken.None);
        var failure = Assert.Single(check.Failures!);
        Assert.Equal(In.Length, failure.Property);
        Assert.Contains("from 24 to 128", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_plugin_serves_it_with_the_password_marked_secret_in_its_schema()
    {
        var plugin = new PgHaProvider(ReplicationCheckProviderTests.Create().Provider, ClusterRolloutProviderTests.UnusedProvider(), new ClusterCertificatesProvider(TimeProvider.System),
            new GeneratedPasswordProvider());
        var schema = System.Text.Json.Nodes.JsonNode.Parse((await plugin.GetSchema(new GetSchemaRequest(0, null!, null!), CancellationToken.None)).Schema!)!;
        var resource = schema["resources"]![GeneratedPasswordContract.ResourceType]!;
        Assert.True((bool)resource["properties"]![Out.Password]!["secret"]!);
        Assert.Null(resource["properties"]![Out.Version]!["secret"]);

        var created = await plugin.Create(new CreateRequest(PasswordUrn, Inputs(), TimeSpan.FromMinutes(1), preview: false), CancellationToken.None);
        Assert.Equal(32, Text(created.Outputs!, Out.Password).Length);
    }
}
