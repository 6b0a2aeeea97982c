using Npgsql;
using PgHa.Core.Verification;

namespace PgHa.Operations.Postgres;

/// <summary>How pg-ha's tools connect to a member: TLS, no pooling (a member may vanish), bounded timeouts.</summary>
public static class MemberConnection
{
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
