using System.Security.Cryptography.X509Certificates;
using PgHa.Core.Tls;
using PgHa.Operations.Patroni;

namespace PgHa.Operations.Tests;

/// <summary>How pgha and the provider judge a member's REST API certificate, and which scheme a member serves.</summary>
public class PatroniHttpTests
{
    private static readonly IssuedCertificates Cluster = ClusterCertificateIssuer.Issue("pgha team-db/orders", ["orders"], CertificateLifetime.Default, DateTimeOffset.UtcNow);

    [Fact]
    public void A_member_is_a_server_certificate_of_the_clusters_ca_and_nothing_else()
    {
        using var ca = X509Certificate2.CreateFromPem(Cluster.CaCertificatePem);
        using var member = X509Certificate2.CreateFromPem(Cluster.CertificatePem);
        using var operatorCertificate = X509Certificate2.CreateFromPem(Cluster.OperatorCertificatePem);
        var other = ClusterCertificateIssuer.Issue("pgha team-db/orders", ["orders"], CertificateLifetime.Default, DateTimeOffset.UtcNow);
        using var stranger = X509Certificate2.CreateFromPem(other.CertificatePem);

        Assert.True(PatroniHttp.IsMember(ca, member));
        // The operator's certificate chains to the same CA but may not serve TLS: whoever holds it cannot pose as a member.
        Assert.False(PatroniHttp.IsMember(ca, operatorCertificate));
        Assert.False(PatroniHttp.IsMember(ca, stranger), "another cluster's CA vouches for nothing here");
    }

    [Fact]
    public void The_credentials_never_print_the_key()
    {
        var credentials = new PatroniApiCredentials(Cluster.CaCertificatePem, Cluster.OperatorCertificatePem, Cluster.OperatorPrivateKeyPem);
        Assert.DoesNotContain("PRIVATE KEY", credentials.ToString(), StringComparison.Ordinal);
        using var http = PatroniHttp.Create(credentials, TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromSeconds(5), http.Timeout);
    }

    [Theory]
    [InlineData("{\"conn_url\": \"postgres://10.0.0.5:5432/postgres\", \"api_url\": \"https://10.0.0.5:8008/patroni\", \"state\": \"running\"}", "https")]
    [InlineData("{\"api_url\": \"http://10.0.0.5:8008/patroni\"}", "http")]
    [InlineData("{\"state\": \"running\"}", null)]
    [InlineData("{\"api_url\": \"ftp://10.0.0.5/\"}", null)]
    [InlineData("{\"api_url\": 5}", null)]
    [InlineData("[]", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_scheme_is_the_one_the_member_published_in_its_pods_status_annotation(string? status, string? scheme) =>
        Assert.Equal(scheme, PatroniApiScheme.FromStatusAnnotation(status));
}
