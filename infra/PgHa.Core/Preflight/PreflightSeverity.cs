namespace PgHa.Core.Preflight;

/// <summary>An error stops preview and up before anything is created; a warning is printed and the run goes on.</summary>
public enum PreflightSeverity
{
    Error,
    Warning,
}
