namespace PgHa.Core.Patroni;

/// <summary>
/// <c>restapi</c>. The shared configuration sets only <see cref="VerifyClient"/>; in the pods Spilo adds the addresses
/// and, from its SSL_RESTAPI_* variables, the certificate files (<see cref="Pods.TlsPod"/>); a test machine sets them
/// itself. No allowlist: see <see cref="PatroniConfig.Build"/>.
/// </summary>
public sealed record PatroniRestApi
{
    public string? Listen { get; init; }

    public string? ConnectAddress { get; init; }

    /// <summary>The member's certificate: served on HTTPS, and presented as a client certificate when it calls the other members.</summary>
    public string? Certfile { get; init; }

    public string? Keyfile { get; init; }

    /// <summary>The CA client certificates are verified against (and, without <c>ctl.cacert</c>, the other members' server certificates).</summary>
    public string? Cafile { get; init; }

    /// <summary>
    /// <c>optional</c>: a client certificate is asked for but not required by the TLS handshake; Patroni then answers 403
    /// to an unsafe request (POST, PATCH, PUT, DELETE) that came without a valid one, while GETs (probes, metrics) need none.
    /// Only in effect when <see cref="Certfile"/> is set (HTTPS).
    /// </summary>
    public string? VerifyClient { get; init; }
}
