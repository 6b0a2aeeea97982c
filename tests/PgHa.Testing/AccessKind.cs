namespace PgHa.Testing;

/// <summary>What the postgres user must be able to do with a path (see <see cref="PostgresAccess"/>).</summary>
public enum AccessKind
{
    Read,
    Write,
    Execute,
    Enter,
}
