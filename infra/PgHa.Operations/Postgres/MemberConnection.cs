using Npgsql;
using PgHa.Core.Verification;

namespace PgHa.Operations.Postgres;

/// <summary>How pg-ha's tools connect to a member: TLS, no pooling (a member may vanish), bounded timeouts.</summary>
public static class MemberConnection
{
    /// <summary>
    /// A connection to the member; with <see cref="VerifierCredentials.ServerCa"/> it verifies the server as verify-full
    /// does, against the member's <see cref="MemberEndpoint.TlsName"/> (the address may be a port-forward's 127.0.0.1).
    /// </summary>
    public static NpgsqlConnection Create(MemberEndpoint member, VerifierCredentials credentials, string database = "postgres",
        TimeSpan? connectTimeout = null)
    {
        var connection = new NpgsqlConnection(For(member, credentials, database, connectTimeout));
        if (credentials.ServerCa is { } ca)
        {
            var expected = member.TlsName ?? member.Host;
            connection.SslClientAuthenticationOptionsCallback = options =>
                options.RemoteCertificateValidationCallback = ServerCertificateCheck.For(ca, expected);
        }

        return connection;
    }

    public static string For(MemberEndpoint member, VerifierCredentials credentials, string database = "postgres",
        TimeSpan? connectTimeout = null, SslMode sslMode = SslMode.Require) => new NpgsqlConnectionStringBuilder
    {
        Host = member.Host,
        Port = member.Port,
        Username = credentials.Username,
        Password = credentials.Password,
        Database = database,
        SslMode = sslMode,
        Pooling = false,
        Timeout = Math.Max(1, (int)(connectTimeout ?? TimeSpan.FromSeconds(10)).TotalSeconds),
        CommandTimeout = 30,
        ApplicationName = "pgha",
    }.ConnectionString;
}
