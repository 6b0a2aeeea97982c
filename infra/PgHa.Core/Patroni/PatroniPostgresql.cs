namespace PgHa.Core.Patroni;

/// <summary>
/// The local <c>postgresql</c> section: client authentication and local parameters, which every member gets; and what
/// is local to one member (addresses, directories, credentials), which only a test machine sets: in the pods Spilo
/// writes those. Null is left out of the YAML.
/// </summary>
public sealed record PatroniPostgresql(IReadOnlyList<string> PgHba, PostgresParameters Parameters)
{
    public string? Listen { get; init; }

    public string? ConnectAddress { get; init; }

    public string? DataDir { get; init; }

    public string? BinDir { get; init; }

    public string? Pgpass { get; init; }

    public bool? UseUnixSocket { get; init; }

    public bool? UseUnixSocketRepl { get; init; }

    public PatroniAuthentication? Authentication { get; init; }
}
