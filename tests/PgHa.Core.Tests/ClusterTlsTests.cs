using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgHa.Core.Tls;

namespace PgHa.Core.Tests;

public class ClusterTlsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_names_cover_each_service_and_member_short_and_fully_qualified()
    {
        var names = ClusterTlsNames.For("db", "team", 3);
        string[] services = ["db", "db-ro", "db-headless"];
        string[] members = ["db-0.db-headless", "db-1.db-headless", "db-2.db-headless"];
        var expected = services.Concat(members)
            .SelectMany(h => new[] { h, $"{h}.team", $"{h}.team.svc", $"{h}.team.svc.cluster.local" }).ToArray();
        Assert.Equal(expected, names);
        Assert.Equal("db-2.db-headless.team.svc.cluster.local", ClusterTlsNames.Member("db-2", "db-headless", "team"));
        Assert.Contains(ClusterTlsNames.Member("db-2", "db-headless", "team"), names);
        Assert.DoesNotContain("db-3.db-headless", ClusterTlsNames.For("db", "team", 3));
        Assert.Contains("db-3.db-headless", ClusterTlsNames.For("db", "team", 4));
    }

    [Fact]
    public void The_server_certificate_chains_to_the_CA_and_names_exactly_the_clusters_hosts()
    {
        var names = ClusterTlsNames.For("db", "team", 2);
        var issued = ClusterCertificateIssuer.Issue("pgha team/db", names, CertificateLifetime.Default, Now);
        using var ca = X509Certificate2.CreateFromPem(issued.CaCertificatePem);
        using var server = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);

        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.True(constraints.CertificateAuthority);
        Assert.True(ca.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.False(server.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var usages = server.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], usages);
        Assert.NotNull(server.GetECDsaPublicKey());
        Assert.True(server.HasPrivateKey);

        Assert.True(Chains(server, ca, Now.AddDays(1)));
        Assert.False(Chains(server, ca, Now.AddDays(366)), "expired after a year");
        using var stranger = X509Certificate2.CreateFromPem(ClusterCertificateIssuer.Issue("other", names, CertificateLifetime.Default, Now).CaCertificatePem);
        Assert.False(Chains(server, stranger, Now.AddDays(1)), "another CA does not vouch for it");

        Assert.All(names, n => Assert.True(server.MatchesHostname(n), n));
        Assert.False(server.MatchesHostname("db-2.db-headless.team.svc.cluster.local"));
        Assert.False(server.MatchesHostname("evil.example.org"));
        Assert.Equal(Now.AddDays(365), issued.NotAfter);
        Assert.Equal(Now.AddDays(3650), issued.CaNotAfter);
        Assert.DoesNotContain("PRIVATE KEY", issued.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_operator_certificate_is_a_client_certificate_of_the_same_CA_that_cannot_pose_as_a_server()
    {
        var issued = ClusterCertificateIssuer.Issue("pgha team/db", ClusterTlsNames.For("db", "team", 2), CertificateLifetime.Default, Now);
        using var ca = X509Certificate2.CreateFromPem(issued.CaCertificatePem);
        using var operatorCertificate = X509Certificate2.CreateFromPem(issued.OperatorCertificatePem, issued.OperatorPrivateKeyPem);

        Assert.Equal("CN=pgha-operator", operatorCertificate.Subject);
        Assert.True(operatorCertificate.HasPrivateKey);
        Assert.False(operatorCertificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        var usages = operatorCertificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal([ClusterCertificateIssuer.ClientAuthOid], usages);
        Assert.Empty(operatorCertificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.True(Chains(operatorCertificate, ca, Now.AddDays(1), ClusterCertificateIssuer.ClientAuthOid));
        Assert.False(Chains(operatorCertificate, ca, Now.AddDays(1), ClusterCertificateIssuer.ServerAuthOid), "a client certificate is no server's");
        Assert.Equal(issued.NotAfter, new DateTimeOffset(operatorCertificate.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        Assert.NotEqual(issued.PrivateKeyPem, issued.OperatorPrivateKeyPem);

        // The members present their server certificate as a client certificate to each other.
        using var server = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.True(Chains(server, ca, Now.AddDays(1), ClusterCertificateIssuer.ClientAuthOid));

        // Renewed with the server certificate, under the same CA.
        var second = ClusterCertificateIssuer.IssueServer(issued.CaCertificatePem, issued.CaPrivateKeyPem, "pgha team/db", ["db"], CertificateLifetime.Default,
            Now.AddDays(340));
        Assert.NotEqual(issued.OperatorCertificatePem, second.OperatorCertificatePem);
        using var renewed = X509Certificate2.CreateFromPem(second.OperatorCertificatePem);
        Assert.True(Chains(renewed, ca, Now.AddDays(400), ClusterCertificateIssuer.ClientAuthOid));
        Assert.DoesNotContain("PRIVATE KEY", second.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reissued_server_certificate_keeps_the_CA_and_never_outlives_it()
    {
        var first = ClusterCertificateIssuer.Issue("pgha team/db", ["db"], CertificateLifetime.Default, Now);
        var later = Now.AddDays(3600);
        var second = ClusterCertificateIssuer.IssueServer(first.CaCertificatePem, first.CaPrivateKeyPem, "pgha team/db", ["db", "db-ro"],
            CertificateLifetime.Default, later);
        Assert.Equal(first.CaCertificatePem, second.CaCertificatePem);
        Assert.NotEqual(first.PrivateKeyPem, second.PrivateKeyPem);
        Assert.Equal(first.CaNotAfter, second.NotAfter);
        using var ca = X509Certificate2.CreateFromPem(second.CaCertificatePem);
        using var server = X509Certificate2.CreateFromPem(second.CertificatePem);
        Assert.True(Chains(server, ca, later.AddDays(1)));
        Assert.True(server.MatchesHostname("db-ro"));
    }

    private static readonly DateTimeOffset NotAfter = Now.AddDays(100);
    private static readonly DateTimeOffset CaNotAfter = Now.AddDays(3000);
    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public static TheoryData<string, string[], DateTimeOffset, DateTimeOffset, RenewalAction> RenewalCases() => new()
    {
        { "same names, well before expiry", ["a", "b"], NotAfter, CaNotAfter, RenewalAction.Keep },
        { "same names in another order and case", ["B", "a"], NotAfter, CaNotAfter, RenewalAction.Keep },
        { "a day before the window", ["a", "b"], Now.AddDays(31), CaNotAfter, RenewalAction.Keep },
        { "at the start of the window", ["a", "b"], Now.AddDays(30), CaNotAfter, RenewalAction.ReissueServer },
        { "expired", ["a", "b"], Now.AddDays(-1), CaNotAfter, RenewalAction.ReissueServer },
        { "a name added", ["a", "b", "c"], NotAfter, CaNotAfter, RenewalAction.ReissueServer },
        { "a name removed", ["a"], NotAfter, CaNotAfter, RenewalAction.ReissueServer },
        { "the CA in its window", ["a", "b"], NotAfter, Now.AddDays(29), RenewalAction.ReplaceCa },
        { "the CA in its window and names changed", ["a"], NotAfter, Now.AddDays(10), RenewalAction.ReplaceCa },
    };

    [Theory]
    [MemberData(nameof(RenewalCases))]
    public void Certificates_are_renewed_only_before_expiry_or_when_the_names_change(string situation, string[] wanted, DateTimeOffset notAfter,
        DateTimeOffset caNotAfter, RenewalAction expected)
    {
        var decision = CertificateRenewal.Decide(["a", "b"], wanted, notAfter, caNotAfter, Window, Now);
        Assert.True(expected == decision.Action, $"{situation}: {decision.Action} ({decision.Reason})");
    }

    [Fact]
    public void A_renewal_says_why()
    {
        Assert.Contains("added: c; removed: none", CertificateRenewal.Decide(["a"], ["a", "c"], NotAfter, CaNotAfter, Window, Now).Reason, StringComparison.Ordinal);
        Assert.Contains("within the renewal window of 30 days", CertificateRenewal.Decide(["a"], ["a"], Now.AddDays(2), CaNotAfter, Window, Now).Reason,
            StringComparison.Ordinal);
    }

    private static bool Chains(X509Certificate2 server, X509Certificate2 ca, DateTimeOffset at, string? usage = null)
    {
        using var chain = new X509Chain();
        if (usage is not null)
        {
            chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usage));
        }

        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = at.UtcDateTime;
        return chain.Build(server);
    }
}
