namespace PgHa.Core.Settings;

/// <summary>
/// The app ConfigMap the stack keeps current (null when pgha:appConfig is not set): which keys hold the
/// connection values, and which Deployments restart when those values change.
/// </summary>
public sealed record AppConfigSettings(string ConfigMap, string Namespace, AppConfigKeyNames Keys, IReadOnlyList<string> RestartDeployments);

/// <summary>The ConfigMap key for each connection value.</summary>
/// <param name="SslMode">The libpq sslmode clients use (verify-full).</param>
/// <param name="CaCertificate">The CA (PEM) clients verify the server with: mount this key as a file and point sslrootcert at it.</param>
public sealed record AppConfigKeyNames(string Host, string ReadHost, string Port, string Database,
    string SslMode = "POSTGRES_SSLMODE", string CaCertificate = "POSTGRES_CA_CERT")
{
    public static AppConfigKeyNames Default { get; } = new("POSTGRES_HOST", "POSTGRES_READ_HOST", "POSTGRES_PORT", "POSTGRES_DB");

    /// <summary>The config spelling of each field, as pgha:appConfigKeys takes them.</summary>
    public static readonly string[] Fields = ["host", "readHost", "port", "database", "sslMode", "caCertificate"];

    /// <summary>Every key, in the order of <see cref="Fields"/>.</summary>
    public IReadOnlyList<string> All => [Host, ReadHost, Port, Database, SslMode, CaCertificate];

    public override string ToString() => $"host={Host},readHost={ReadHost},port={Port},database={Database},sslMode={SslMode},caCertificate={CaCertificate}";
}
