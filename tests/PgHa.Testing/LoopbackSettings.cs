using PgHa.Core.Settings;

namespace PgHa.Testing;

/// <summary>
/// Settings as a stack would load them (the shipped defaults), with overrides: what a loopback cluster runs.
/// The keys that only matter on Kubernetes get placeholder values; the Patroni configuration is the real one.
/// </summary>
public static class LoopbackSettings
{
    public static PgHaSettings Load(params (string Key, string? Value)[] overrides) =>
        SettingsLoader.Load(new DictionaryStackConfig(DictionaryStackConfig.With(Placeholders, overrides)));

    private static readonly Dictionary<string, string> Placeholders = new()
    {
        ["pgha:namespace"] = "loopback",
        ["pgha:kubeContext"] = "none",
        ["pgha:platform"] = "generic",
        ["pgha:storageClassName"] = "standard",
        ["pgha:superuserPassword"] = "set",
        ["pgha:replicationPassword"] = "set",
        ["pgha:appPassword"] = "set",
    };

    /// <summary>
    /// Backups on, against an S3-compatible store that is never contacted: on a test machine WAL is archived into the
    /// cluster's <see cref="PatroniCluster.ArchiveDirectory"/> instead; every other archiving setting is the pods'.
    /// </summary>
    public static PgHaSettings WithBackups(params (string Key, string? Value)[] overrides) => Load(
    [
        ("pgha:backups", "true"), ("pgha:backupBucket", "loopback-archive"), ("pgha:backupS3Endpoint", "http://127.0.0.1:9"),
        ("pgha:backupS3Region", "us-east-1"), ("pgha:backupCredentialsSecret", "unused"), .. overrides,
    ]);
}
