using System.Globalization;

namespace PgHa.Faults.Tests;

/// <summary>
/// How many rounds each scenario runs on its cluster: 1 (the suite in CI), or <see cref="Variable"/> for a soak
/// (<c>PGHA_FAULT_ROUNDS=10 dotnet test tests/PgHa.Faults.Tests</c>). Each round starts from and must end in a converged
/// cluster (one primary, two streaming replicas).
/// </summary>
public static class FaultRounds
{
    public const string Variable = "PGHA_FAULT_ROUNDS";

    public static int Count => Parse(Environment.GetEnvironmentVariable(Variable));

    public static int Parse(string? value) =>
        string.IsNullOrWhiteSpace(value) ? 1
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) && rounds is >= 1 and <= 100 ? rounds
        : throw new ArgumentException($"{Variable}='{value}' is not a number of rounds from 1 to 100; unset it for one round (as CI runs), or e.g. {Variable}=10 for a soak.");
}
