namespace PgHa.Core.Verification;

/// <summary>A member to check: its pod (and Patroni member) name and where its PostgreSQL listens.</summary>
/// <param name="TlsName">The name its certificate must carry (its pod DNS name); null: <paramref name="Host"/>.</param>
public sealed record MemberEndpoint(string Name, string Host, int Port, string? TlsName = null);

/// <summary>Credentials the verifier connects with. Never printed: <see cref="ToString"/> hides the password.</summary>
/// <param name="ServerCa">The cluster's CA (PEM): with it every connection verifies the server (chain to this CA, the
/// member's <see cref="MemberEndpoint.TlsName"/> on the certificate); without it TLS is required but not verified.</param>
public sealed record VerifierCredentials(string Username, string Password, string? ServerCa = null)
{
    public override string ToString() => $"{Username}/***";
}

/// <summary>What a healthy cluster looks like, and how long to keep checking before giving up.</summary>
/// <param name="Archiving">Backups are on: the primary must be archiving WAL (pg_stat_archiver), with no failure since its last success.</param>
public sealed record VerificationExpectations(int Members, long MaxReplayLagBytes, TimeSpan Timeout, TimeSpan RetryInterval, bool Archiving = false);

/// <summary>One replication connection on the primary (pg_stat_replication), filtered to members.</summary>
/// <param name="ReplayLagSeconds">pg_stat_replication.replay_lag: how long ago the replica last replayed what the primary had written.</param>
public sealed record ReplicationRow(string ApplicationName, string State, long? ReplayLagBytes, double? ReplayLagSeconds = null);

/// <summary>One physical slot on the primary.</summary>
public sealed record SlotRow(string Name, bool Active, string? WalStatus);

/// <summary>WAL archiving as the primary's pg_stat_archiver shows it.</summary>
public sealed record ArchiverRow(
    long ArchivedCount, string? LastArchivedWal, DateTimeOffset? LastArchivedTime,
    long FailedCount, string? LastFailedWal, DateTimeOffset? LastFailedTime)
{
    /// <summary>WAL has been archived, and no attempt failed after the last success.</summary>
    public bool Healthy => ArchivedCount > 0 && (LastFailedTime is null || LastArchivedTime > LastFailedTime);

    public override string ToString() =>
        $"archived {ArchivedCount} (last {LastArchivedWal ?? "none"} at {Stamp(LastArchivedTime)}), " +
        $"failed {FailedCount} (last {LastFailedWal ?? "none"} at {Stamp(LastFailedTime)})";

    private static string Stamp(DateTimeOffset? time) => time?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
}

/// <summary>What one member showed when asked; <see cref="Archiver"/> is read on a primary only.</summary>
public sealed record MemberObservation(
    string Name,
    string? Error,
    bool InRecovery,
    int? Timeline,
    IReadOnlyList<ReplicationRow> Replication,
    IReadOnlyList<SlotRow> Slots,
    ArchiverRow? Archiver = null)
{
    public bool Reachable => Error is null;

    public static MemberObservation Unreachable(string name, string error) => new(name, error, false, null, [], []);
}

/// <summary>One check: its name, whether it passed, and what was expected and observed.</summary>
public sealed record CheckResult(string Name, bool Passed, string Expected, string Observed)
{
    public override string ToString() => $"{Name}: expected {Expected}, observed {Observed}";
}

/// <summary>A replica as the report shows it.</summary>
public sealed record ReplicaReport(string Name, string State, long? ReplayLagBytes, string? Slot, bool SlotActive, double? ReplayLagSeconds = null);

/// <summary>The structured outcome of a verification.</summary>
public sealed record VerificationReport(
    IReadOnlyList<CheckResult> Checks,
    string? Primary,
    IReadOnlyList<ReplicaReport> Replicas,
    int? Timeline,
    DateTimeOffset CheckedAt,
    int Attempts,
    ArchiverRow? Archiver = null)
{
    public bool Passed => Checks.All(c => c.Passed);

    public IReadOnlyList<CheckResult> Failures => Checks.Where(c => !c.Passed).ToArray();

    /// <summary>Every failed check with expected and observed values, for an on-call engineer.</summary>
    public string FailureMessage() =>
        $"replication check failed after {Attempts} attempt(s) ({Failures.Count} problem(s)):" + Environment.NewLine +
        string.Join(Environment.NewLine, Failures.Select(f => "  - " + f));
}
