namespace PgHa.Core.Patroni;

/// <summary>
/// <c>restapi</c>, local to a member, which only a test machine sets (in the pods Spilo writes it): where the API
/// listens and how the others reach it. No allowlist: see <see cref="PatroniConfig.Build"/>.
/// </summary>
public sealed record PatroniRestApi
{
    public string? Listen { get; init; }

    public string? ConnectAddress { get; init; }
}
