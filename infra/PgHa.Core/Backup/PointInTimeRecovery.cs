namespace PgHa.Core.Backup;

/// <summary>
/// The recovery settings of a clone to a point in time: replay archived WAL up to the target (or to its end),
/// follow the latest timeline (the source may have failed over), then promote and open for writes. Spilo's
/// CLONE_WITH_WALE bootstrap writes the same settings in the pods; the real-process PITR test runs these.
/// </summary>
public static class PointInTimeRecovery
{
    /// <param name="targetTime">A <see cref="RecoveryTargetTime.Format"/>ted instant, or null for the end of the archive.</param>
    public static Dictionary<string, string> Settings(string restoreCommand, string? targetTime)
    {
        var settings = new Dictionary<string, string>
        {
            ["restore_command"] = restoreCommand,
            ["recovery_target_timeline"] = "latest",
            ["recovery_target_action"] = "promote",
        };
        if (targetTime is not null)
        {
            settings["recovery_target_time"] = targetTime;
            // Inclusive: a transaction committed exactly at the target is kept.
            settings["recovery_target_inclusive"] = "true";
        }

        return settings;
    }

    /// <summary>The settings as postgresql.conf lines (values quoted, quotes doubled).</summary>
    public static string ToConfLines(IReadOnlyDictionary<string, string> settings) =>
        string.Concat(settings.Select(s => $"{s.Key} = '{s.Value.Replace("'", "''", StringComparison.Ordinal)}'\n"));
}
