using PgHa.Core.Patroni;

namespace PgHa.Testing;

/// <summary>
/// What Spilo's CLONE_WITH_WALE bootstrap makes of a pod's CLONE_* environment (zalando/spilo configure_spilo.py:
/// the clone_with_wale method's recovery_conf): replay to CLONE_TARGET_TIME (inclusive unless
/// CLONE_TARGET_INCLUSIVE says otherwise), follow CLONE_TARGET_TIMELINE (latest by default), then promote. A test
/// feeds it the environment the pods really get and a restore command reading the local archive instead of WAL-G.
/// </summary>
public static class SpiloCloneRecovery
{
    public static Dictionary<string, string> Settings(IReadOnlyList<PodEnvVar> podEnvironment, string restoreCommand)
    {
        var env = podEnvironment.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal);
        if (env.GetValueOrDefault("CLONE_METHOD") != "CLONE_WITH_WALE")
        {
            throw new ArgumentException("the pod environment has no CLONE_WITH_WALE bootstrap (CLONE_METHOD)", nameof(podEnvironment));
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["restore_command"] = restoreCommand,
            ["recovery_target_timeline"] = env.GetValueOrDefault("CLONE_TARGET_TIMELINE", "latest"),
            ["recovery_target_action"] = "promote",
        };
        if (env.TryGetValue("CLONE_TARGET_TIME", out var time))
        {
            settings["recovery_target_time"] = time;
            if (env.GetValueOrDefault("CLONE_TARGET_INCLUSIVE") is "false")
            {
                settings["recovery_target_inclusive"] = "false";
            }
        }

        return settings;
    }

    /// <summary>The settings as postgresql.conf lines (values quoted, quotes doubled), as Patroni writes them.</summary>
    public static string ToConfLines(IReadOnlyDictionary<string, string> settings) =>
        string.Concat(settings.Select(s => $"{s.Key} = '{s.Value.Replace("'", "''", StringComparison.Ordinal)}'\n"));

    /// <summary>A restore command reading the directory <see cref="PgHa.Core.Backup.WalArchiving.CopyToDirectoryCommand"/> archives into.</summary>
    public static string CopyFromDirectoryCommand(string directory) => $"cp '{directory}/%f' '%p'";
}
