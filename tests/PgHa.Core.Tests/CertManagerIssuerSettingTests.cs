using PgHa.Core.Settings;

namespace PgHa.Core.Tests;

public class CertManagerIssuerSettingTests
{
    [Fact]
    public void Without_the_key_the_stack_uses_its_own_CA()
    {
        Assert.Null(TestConfig.LoadValid().CertManagerIssuer);
    }

    [Theory]
    [InlineData("ClusterIssuer/internal-ca", "ClusterIssuer", "internal-ca")]
    [InlineData("Issuer/team.ca", "Issuer", "team.ca")]
    public void An_issuer_is_its_kind_and_name(string value, string kind, string name)
    {
        Assert.Equal(new CertManagerIssuerRef(kind, name), TestConfig.LoadValid(("pgha:certManagerIssuer", value)).CertManagerIssuer);
    }

    [Theory]
    [InlineData("internal-ca", "is not Issuer/<name> or ClusterIssuer/<name>.")]
    [InlineData("Certificate/internal-ca", "names the kind \"Certificate\"; cert-manager's kinds are Issuer and ClusterIssuer.")]
    [InlineData("ClusterIssuer/Internal_CA", "names the issuer \"Internal_CA\", which is not a DNS-1123 subdomain")]
    [InlineData("ClusterIssuer/a/b", "is not Issuer/<name> or ClusterIssuer/<name>.")]
    public void A_bad_issuer_is_named_with_the_fix(string value, string problem)
    {
        var error = TestConfig.SingleError("pgha:certManagerIssuer", ("pgha:certManagerIssuer", value));
        Assert.Equal(value, error.Value);
        Assert.StartsWith(problem, error.Problem, StringComparison.Ordinal);
        Assert.Contains("pulumi config set pgha:certManagerIssuer", error.Fix, StringComparison.Ordinal);
    }
}
