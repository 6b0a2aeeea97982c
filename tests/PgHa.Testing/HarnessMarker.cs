using System.Globalization;

namespace PgHa.Testing;

/// <summary>
/// What marks a process the harness started: the run it belongs to and the process that owns the run (its PID and
/// its start time, so a reused PID is not mistaken for the owner). Every started process carries it in its
/// environment (<see cref="RunVariable"/>, <see cref="OwnerVariable"/>), readable from /proc/&lt;pid&gt;/environ; it
/// is inherited by everything those processes start (Patroni passes it on to PostgreSQL and its backends).
/// </summary>
public sealed record HarnessMarker(string RunId, int OwnerPid, long OwnerStartTime)
{
    public const string RunVariable = "PGHA_HARNESS_RUN";
    public const string OwnerVariable = "PGHA_HARNESS_OWNER";

    /// <summary>The marker of a run owned by this process.</summary>
    public static HarnessMarker ForThisProcess(string runId) =>
        new(runId, Environment.ProcessId, OsProcess.StartTime(Environment.ProcessId) ?? 0);

    /// <summary><c>NAME=value</c> pairs, as <c>env</c> takes them.</summary>
    public IReadOnlyList<string> EnvironmentAssignments =>
        [$"{RunVariable}={RunId}", $"{OwnerVariable}={Owner}"];

    /// <summary>Marks a process this harness starts itself with <see cref="System.Diagnostics.Process.Start(System.Diagnostics.ProcessStartInfo)"/>.</summary>
    public void ApplyTo(System.Diagnostics.ProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.Environment[RunVariable] = RunId;
        info.Environment[OwnerVariable] = Owner;
    }

    /// <summary><c>pid:starttime</c> (start time in clock ticks since boot, as in /proc/&lt;pid&gt;/stat).</summary>
    public string Owner => string.Create(CultureInfo.InvariantCulture, $"{OwnerPid}:{OwnerStartTime}");

    /// <summary>The owner process still runs (same PID, same start time, not a zombie).</summary>
    public bool OwnerIsAlive => OsProcess.IsAlive(OwnerPid) && OsProcess.StartTime(OwnerPid) == OwnerStartTime;

    /// <summary>The marker in a process environment, or null when it carries none (or a malformed one).</summary>
    public static HarnessMarker? FromEnvironment(IReadOnlyDictionary<string, string> environment) =>
        environment.TryGetValue(RunVariable, out var run) && environment.TryGetValue(OwnerVariable, out var owner)
            ? Parse(run, owner)
            : null;

    /// <summary>The marker from a run id and an owner written as <see cref="Owner"/>, or null when malformed.</summary>
    public static HarnessMarker? Parse(string runId, string owner)
    {
        var parts = owner.Trim().Split(':');
        return runId.Length > 0 && parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
                ? new HarnessMarker(runId, pid, start)
                : null;
    }
}
