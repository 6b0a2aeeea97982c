namespace PgHa.Core.Naming;

/// <summary>libpq connection URIs for apps. TLS is required: the cluster rejects connections without it.</summary>
public static class ConnectionStrings
{
    public static string PostgresUri(string user, string password, string host, int port, string database) =>
        $"postgresql://{System.Uri.EscapeDataString(user)}:{System.Uri.EscapeDataString(password)}@{host}:{port}/{System.Uri.EscapeDataString(database)}?sslmode=require";
}
