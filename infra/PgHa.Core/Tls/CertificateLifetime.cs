namespace PgHa.Core.Tls;

/// <summary>How long the server certificate and its CA are valid, and how long before expiry each is renewed.</summary>
/// <param name="Validity">The server certificate's validity.</param>
/// <param name="RenewBefore">Renewed on the first <c>pulumi up</c> this long before it expires.</param>
/// <param name="CaValidity">The CA's validity: much longer, so renewing the server certificate keeps the CA clients trust.</param>
public sealed record CertificateLifetime(TimeSpan Validity, TimeSpan RenewBefore, TimeSpan CaValidity)
{
    /// <summary>A year for the server certificate, renewed in its last 30 days; ten years for the CA.</summary>
    public static CertificateLifetime Default { get; } = new(TimeSpan.FromDays(365), TimeSpan.FromDays(30), TimeSpan.FromDays(3650));

    public static CertificateLifetime FromDays(int validityDays, int renewBeforeDays) =>
        new(TimeSpan.FromDays(validityDays), TimeSpan.FromDays(renewBeforeDays), TimeSpan.FromDays(Math.Max(3650, validityDays * 10)));
}
