namespace PgHa.Core.DayTwo;

/// <summary>The database roles whose passwords the stack manages.</summary>
public enum CredentialRole
{
    /// <summary>The superuser Patroni and Spilo connect as (pg_rewind, bootstrap, management).</summary>
    Superuser,

    /// <summary>The role replicas stream as.</summary>
    Replication,

    /// <summary>The application's role; only the app's Deployments use it.</summary>
    App,
}
