using System.Collections.Immutable;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using PgHa.Core.Tls;
using PgHa.Provider;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using In = PgHa.Core.Tls.ClusterCertificatesContract.InputName;
using Out = PgHa.Core.Tls.ClusterCertificatesContract.OutputName;

namespace PgHa.Provider.Tests;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class ClusterCertificatesProviderTests
{
    private static readonly Urn CertificatesUrn = new("urn:pulumi:dev::pgha::pgha:index:PostgresHaCluster$pgha:index:ClusterCertificates::db-tls");
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static ImmutableDictionary<string, PropertyValue> Inputs(int replicas = 3, int validityDays = 365, int renewBeforeDays = 30) =>
        new Dictionary<string, PropertyValue>
        {
            [In.CommonName] = new("pgha team-db/db"),
            [In.DnsNames] = new(ClusterTlsNames.For("db", "team-db", replicas).Select(n => new PropertyValue(n)).ToImmutableArray()),
            [In.ValidityDays] = new(validityDays),
            [In.RenewBeforeDays] = new(renewBeforeDays),
        }.ToImmutableDictionary();

    private static (ClusterCertificatesProvider Provider, Clock Clock) Create() { var clock = new Clock(Start); return (new ClusterCertificatesProvider(clock), clock); }

    private static async Task<ImmutableDictionary<string, PropertyValue>> CreatedAsync(ClusterCertificatesProvider provider)
    {
        var created = await provider.Create(new CreateRequest(CertificatesUrn, Inputs(), TimeSpan.FromMinutes(1), preview: false), CancellationToken.None);
        return created.Outputs!.ToImmutableDictionary();
    }

    private static string Text(IDictionary<string, PropertyValue> outputs, string name) =>
        outputs[name].TryGetString(out var text) ? text : throw new InvalidOperationException($"{name} is not a string: {outputs[name]}");

    private static Task<DiffResponse> DiffAsync(ClusterCertificatesProvider provider, ImmutableDictionary<string, PropertyValue> state,
        ImmutableDictionary<string, PropertyValue> inputs) =>
        provider.Diff(new DiffRequest(CertificatesUrn, "db-tls", state, inputs, ImmutableArray<string>.Empty, Inputs()), CancellationToken.None);

    [Fact]
    public async Task Create_issues_a_CA_and_a_server_certificate_for_the_names_with_the_keys_secret()
    {
        var (provider, _) = Create();
        var outputs = await CreatedAsync(provider);
        Assert.Equal(ClusterCertificatesContract.Outputs.Select(o => o.Name).Order(), outputs.Keys.Order());
        Assert.True(outputs[Out.PrivateKey].IsSecret);
        Assert.True(outputs[Out.CaPrivateKey].IsSecret);
        Assert.True(outputs[Out.OperatorPrivateKey].IsSecret);
        using var operatorCertificate = X509Certificate2.CreateFromPem(Text(outputs, Out.OperatorCertificate), Text(outputs, Out.OperatorPrivateKey));
        Assert.Equal("CN=pgha-operator", operatorCertificate.Subject);
        Assert.All(ClusterCertificatesContract.Outputs.Where(o => !o.Secret), o => Assert.False(outputs[o.Name].IsSecret, o.Name));
        using var server = X509Certificate2.CreateFromPem(Text(outputs, Out.Certificate), Text(outputs, Out.PrivateKey));
        Assert.True(server.MatchesHostname("db-1.db-headless.team-db.svc.cluster.local"));
        Assert.Equal(Start.AddDays(365).ToString("O"), Text(outputs, Out.NotAfter));
        var preview = await provider.Create(new CreateRequest(CertificatesUrn, Inputs(), TimeSpan.FromMinutes(1), preview: true), CancellationToken.None);
        Assert.All(preview.Outputs!.Values, v => Assert.True(v.IsComputed));
    }

    [Fact]
    public async Task Later_runs_and_refreshes_keep_the_certificates_until_the_renewal_window()
    {
        var (provider, clock) = Create();
        var state = await CreatedAsync(provider);
        clock.Now = Start.AddDays(334);
        var diff = await DiffAsync(provider, state, Inputs());
        Assert.False(diff.Changes);
        var read = await provider.Read(new ReadRequest(CertificatesUrn, "db-tls", state, Inputs()), CancellationToken.None);
        Assert.Equal(Text(state, Out.Certificate), Text(read.Outputs!, Out.Certificate));
        Assert.Equal(Text(state, Out.PrivateKey), Text(read.Outputs!, Out.PrivateKey));

        clock.Now = Start.AddDays(335);
        var renewal = await DiffAsync(provider, state, Inputs());
        Assert.True(renewal.Changes);
        Assert.Empty(renewal.Replaces!);
        var update = await provider.Update(new UpdateRequest(CertificatesUrn, "db-tls", state, Inputs(), TimeSpan.FromMinutes(1), ImmutableArray<string>.Empty,
            preview: false, Inputs()), CancellationToken.None);
        Assert.Equal(Text(state, Out.CaCertificate), Text(update.Outputs!, Out.CaCertificate));
        Assert.NotEqual(Text(state, Out.PrivateKey), Text(update.Outputs!, Out.PrivateKey));
        Assert.Equal(Start.AddDays(335 + 365).ToString("O"), Text(update.Outputs!, Out.NotAfter));
        Assert.True(update.Outputs![Out.PrivateKey].IsSecret);
        // The operator's client certificate is renewed with it, and kept until then.
        Assert.Equal(Text(state, Out.OperatorCertificate), Text(read.Outputs!, Out.OperatorCertificate));
        Assert.NotEqual(Text(state, Out.OperatorPrivateKey), Text(update.Outputs!, Out.OperatorPrivateKey));
        using var renewed = X509Certificate2.CreateFromPem(Text(update.Outputs!, Out.OperatorCertificate));
        Assert.Equal(Start.AddDays(335 + 365), new DateTimeOffset(renewed.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        Assert.True(update.Outputs![Out.OperatorPrivateKey].IsSecret);
    }

    [Fact]
    public async Task State_from_before_the_operator_certificate_gets_one_under_the_same_CA_once()
    {
        var (provider, _) = Create();
        var state = (await CreatedAsync(provider)).Remove(Out.OperatorCertificate).Remove(Out.OperatorPrivateKey);
        var diff = await DiffAsync(provider, state, Inputs());
        Assert.True(diff.Changes);
        Assert.Empty(diff.Replaces!);
        var update = await provider.Update(new UpdateRequest(CertificatesUrn, "db-tls", state, Inputs(), TimeSpan.FromMinutes(1), ImmutableArray<string>.Empty,
            preview: false, Inputs()), CancellationToken.None);
        Assert.Equal(Text(state, Out.CaCertificate), Text(update.Outputs!, Out.CaCertificate));
        using var ca = X509Certificate2.CreateFromPem(Text(update.Outputs!, Out.CaCertificate));
        using var operatorCertificate = X509Certificate2.CreateFromPem(Text(update.Outputs!, Out.OperatorCertificate));
        Assert.Equal(ca.Subject, operatorCertificate.Issuer);
        Assert.False((await DiffAsync(provider, update.Outputs!.ToImmutableDictionary(), Inputs())).Changes, "once issued, it is kept");
    }

    [Fact]
    public async Task New_names_reissue_the_server_certificate_under_the_same_CA_and_the_preview_knows_the_CA()
    {
        var (provider, _) = Create();
        var state = await CreatedAsync(provider);
        var diff = await DiffAsync(provider, state, Inputs(replicas: 4));
        Assert.True(diff.Changes);
        Assert.Empty(diff.Replaces!);
        var preview = await provider.Update(new UpdateRequest(CertificatesUrn, "db-tls", state, Inputs(replicas: 4), TimeSpan.FromMinutes(1),
            ImmutableArray<string>.Empty, preview: true, Inputs()), CancellationToken.None);
        Assert.Equal(Text(state, Out.CaCertificate), Text(preview.Outputs!, Out.CaCertificate));
        Assert.True(preview.Outputs![Out.Certificate].IsComputed);
        var update = await provider.Update(new UpdateRequest(CertificatesUrn, "db-tls", state, Inputs(replicas: 4), TimeSpan.FromMinutes(1),
            ImmutableArray<string>.Empty, preview: false, Inputs()), CancellationToken.None);
        using var server = X509Certificate2.CreateFromPem(Text(update.Outputs!, Out.Certificate));
        Assert.True(server.MatchesHostname("db-3.db-headless.team-db.svc.cluster.local"));
        Assert.Equal(Text(state, Out.CaCertificate), Text(update.Outputs!, Out.CaCertificate));
    }

    [Fact]
    public async Task A_CA_near_its_expiry_is_replaced()
    {
        var (provider, clock) = Create();
        var state = await CreatedAsync(provider);
        clock.Now = Start.AddDays(3650 - 30);
        var diff = await DiffAsync(provider, state, Inputs());
        Assert.True(diff.Changes);
        Assert.NotEmpty(diff.Replaces!);
    }

    [Fact]
    public async Task Check_names_each_bad_input()
    {
        var (provider, _) = Create();
        var bad = Inputs(renewBeforeDays: 365).SetItem(In.DnsNames, new PropertyValue([new PropertyValue("db"), new PropertyValue("not a host!")]))
            .Remove(In.CommonName);
        var response = await provider.Check(new CheckRequest(CertificatesUrn, ImmutableDictionary<string, PropertyValue>.Empty, bad, ImmutableArray<byte>.Empty),
            CancellationToken.None);
        Assert.Equal([In.CommonName, In.DnsNames, In.RenewBeforeDays], response.Failures!.Select(f => f.Property).Order());
        Assert.Contains("must be less than validityDays", response.Failures!.Single(f => f.Property == In.RenewBeforeDays).Reason, StringComparison.Ordinal);
        var good = await provider.Check(new CheckRequest(CertificatesUrn, ImmutableDictionary<string, PropertyValue>.Empty, Inputs(), ImmutableArray<byte>.Empty),
            CancellationToken.None);
        Assert.Empty(good.Failures!);
    }

    [Fact]
    public async Task The_plugin_serves_the_certificates_and_declares_the_keys_secret()
    {
        var (certificates, _) = Create();
        var (replicationCheck, _) = ReplicationCheckProviderTests.Create();
        var plugin = new PgHaProvider(replicationCheck, ClusterRolloutProviderTests.UnusedProvider(), certificates, new GeneratedPasswordProvider());
        var schema = JsonDocument.Parse((await plugin.GetSchema(new GetSchemaRequest(0, null!, null!), CancellationToken.None)).Schema!).RootElement;
        var resource = schema.GetProperty("resources").GetProperty(ClusterCertificatesContract.ResourceType);
        var outputs = resource.GetProperty("properties");
        Assert.Equal(ClusterCertificatesContract.Outputs.Select(o => o.Name), outputs.EnumerateObject().Select(p => p.Name));
        Assert.Equal([Out.CaPrivateKey, Out.PrivateKey, Out.OperatorPrivateKey],
            outputs.EnumerateObject().Where(p => p.Value.TryGetProperty("secret", out var s) && s.GetBoolean()).Select(p => p.Name));
        Assert.True(schema.GetProperty("resources").TryGetProperty("pgha:index:ReplicationCheck", out _));

        var created = await plugin.Create(new CreateRequest(CertificatesUrn, Inputs(), TimeSpan.FromMinutes(1), preview: false), CancellationToken.None);
        Assert.True(created.Outputs![Out.Certificate].TryGetString(out _));
        await Assert.ThrowsAsync<NotSupportedException>(() => plugin.Create(
            new CreateRequest(new Urn("urn:pulumi:dev::pgha::pgha:index:Other::x"), Inputs(), TimeSpan.FromMinutes(1), preview: false), CancellationToken.None));
    }
}
