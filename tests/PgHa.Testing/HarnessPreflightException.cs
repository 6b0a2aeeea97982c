namespace PgHa.Testing;

/// <summary>The harness did not start anything: what the postgres user will need is not there. Each problem names the path and the fix.</summary>
public sealed class HarnessPreflightException(IReadOnlyList<string> problems) : Exception(
    "The loopback harness did not start anything: the postgres OS user lacks what it needs:" + Environment.NewLine +
    string.Join(Environment.NewLine, problems.Select(p => " - " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
