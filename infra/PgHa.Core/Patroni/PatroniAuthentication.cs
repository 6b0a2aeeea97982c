namespace PgHa.Core.Patroni;

/// <summary>
/// <c>postgresql.authentication</c>: the roles Patroni connects as. Set only where nothing else supplies them (in the
/// pods Spilo writes them from the credentials Secrets; on a test machine the harness sets them).
/// </summary>
public sealed record PatroniAuthentication(PatroniCredentials Superuser, PatroniCredentials Replication);
