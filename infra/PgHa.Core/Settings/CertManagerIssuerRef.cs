namespace PgHa.Core.Settings;

/// <summary>A cert-manager issuer: its kind (Issuer or ClusterIssuer) and name.</summary>
public sealed record CertManagerIssuerRef(string Kind, string Name)
{
    public override string ToString() => $"{Kind}/{Name}";
}
