namespace PgHa.Core.Patroni;

/// <summary>
/// <c>ctl</c>: how Patroni (and patronictl) call a member's REST API. Patroni's own calls to the other members
/// (POST /failsafe, the failover checks) take their client certificate and CA from here or, unset, from <c>restapi</c>.
/// </summary>
public sealed record PatroniCtl
{
    /// <summary>
    /// With a client certificate set, Patroni keeps verifying the peer's chain (CERT_REQUIRED) and only stops matching its
    /// host name (urllib3's assert_hostname off); see <see cref="PatroniConfig.Build"/> for why.
    /// </summary>
    public bool? Insecure { get; init; }

    public string? Certfile { get; init; }

    public string? Keyfile { get; init; }

    public string? Cacert { get; init; }
}
