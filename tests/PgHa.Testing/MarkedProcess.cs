namespace PgHa.Testing;

/// <summary>A running process that carries a harness marker: which run started it (or its ancestor) and who owns that run.</summary>
public sealed record MarkedProcess(int Pid, int? ProcessGroup, HarnessMarker Marker, string CommandLine)
{
    public override string ToString() =>
        $"pid {Pid} ({(CommandLine.Length > 120 ? CommandLine[..120] + "..." : CommandLine).Trim()}) of run {Marker.RunId}";
}
