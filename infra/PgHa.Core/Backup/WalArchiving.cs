using System.Globalization;
using PgHa.Core.Patroni;

namespace PgHa.Core.Backup;

/// <summary>
/// The PostgreSQL settings that make WAL leave the cluster. In the pods Spilo supplies the archive command
/// (<c>wal-g wal-push</c> with its env dir); the real-process tests pass a copy into a local directory instead,
/// and the rest is the same.
/// </summary>
public static class WalArchiving
{
    /// <summary>
    /// archive_mode and archive_timeout (the archive command is the pods' Spilo or the test's copy). Local
    /// parameters, not bootstrap DCS ones, so turning backups on later reaches a running cluster at its next restart.
    /// </summary>
    public static PostgresParameters Parameters(int archiveTimeoutSeconds) => PostgresParameters.Of(
        ("archive_mode", "on"),
        // A quiet database still ships its last commits within this time: the RPO of losing every volume.
        ("archive_timeout", archiveTimeoutSeconds.ToString(CultureInfo.InvariantCulture) + "s"));

    /// <summary>No archiving, said explicitly (backups off): nothing pretends to keep WAL anywhere.</summary>
    public static PostgresParameters Disabled() => PostgresParameters.Of(("archive_mode", "off"));

    /// <summary>
    /// An archive command copying into a local directory, refusing to overwrite a segment already there
    /// (PostgreSQL's documented example): what stands in for the bucket on a test machine.
    /// </summary>
    public static string CopyToDirectoryCommand(string directory) =>
        $"test ! -f '{directory}/%f' && cp '%p' '{directory}/%f'";

}
