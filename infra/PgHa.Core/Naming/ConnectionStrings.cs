namespace PgHa.Core.Naming;

/// <summary>
/// libpq connection URIs for apps. The server is verified: <c>sslmode=verify-full</c> checks that the certificate chains to
/// the cluster's CA and names the host connected to; <c>sslrootcert</c> is where the app mounts that CA (the ConfigMap
/// <c>&lt;clusterName&gt;-ca</c>, or the app ConfigMap's CA key).
/// </summary>
public static class ConnectionStrings
{
    public const string SslMode = "verify-full";

    /// <summary>Where the connection strings expect the CA: mount the CA ConfigMap's ca.crt here, or change sslrootcert.</summary>
    public const string AppCaPath = "/etc/pgha-ca/ca.crt";

    public static string PostgresUri(string user, string password, string host, int port, string database) =>
        $"postgresql://{System.Uri.EscapeDataString(user)}:{System.Uri.EscapeDataString(password)}@{host}:{port}/{System.Uri.EscapeDataString(database)}" +
        $"?sslmode={SslMode}&sslrootcert={System.Uri.EscapeDataString(AppCaPath)}";
}
