namespace PgHa.Core.Preflight;

/// <summary>
/// One thing in the target cluster that would make the deployment fail (or do harm) after the database exists: the
/// object, the config key that points at it and its value, what is wrong, and how to fix it. Never holds a secret.
/// </summary>
public sealed record PreflightProblem(PreflightSeverity Severity, string Object, string Key, string? Value, string Problem, string Fix)
{
    public override string ToString()
    {
        var shown = Value is null ? "(not set)" : $"\"{Value}\"";
        return $"{Object} ({Key} = {shown}): {Problem} Fix: {Fix}";
    }
}
