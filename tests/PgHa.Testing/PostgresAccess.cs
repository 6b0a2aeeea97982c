namespace PgHa.Testing;

/// <summary>What the postgres OS user must be able to do with a path, why, and how to fix it when it cannot.</summary>
public sealed record PostgresAccess(string Path, AccessKind Kind, string What, string Fix)
{
    public static PostgresAccess Readable(string path, string what, string fix) => new(path, AccessKind.Read, what, fix);

    public static PostgresAccess Executable(string path, string what, string fix) => new(path, AccessKind.Execute, what, fix);

    /// <summary>A directory postgres can enter (path resolution and chdir into it).</summary>
    public static PostgresAccess Enterable(string path, string what, string fix) => new(path, AccessKind.Enter, what, fix);

    /// <summary>A directory postgres can enter and create files in.</summary>
    public static PostgresAccess Writable(string path, string what, string fix) => new(path, AccessKind.Write, what, fix);
}
