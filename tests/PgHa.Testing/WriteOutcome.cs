namespace PgHa.Testing;

/// <summary>What a client learned about one write.</summary>
public enum WriteOutcome
{
    /// <summary>COMMIT returned success: the database promised to keep it.</summary>
    Acknowledged,

    /// <summary>An error or a broken connection: the write may or may not have committed (either is allowed).</summary>
    Indeterminate,
}
