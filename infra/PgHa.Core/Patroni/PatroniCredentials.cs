namespace PgHa.Core.Patroni;

/// <summary>A role Patroni itself connects as (<c>postgresql.authentication.superuser|replication</c>).</summary>
public sealed record PatroniCredentials(string Username, string Password);
