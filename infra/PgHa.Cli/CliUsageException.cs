namespace PgHa.Cli;

/// <summary>A wrong or contradictory argument: printed as it is, exit code 2, nothing done.</summary>
public sealed class CliUsageException(string message) : Exception(message);
