namespace PgHa.Core.DayTwo;

/// <summary>One key of Patroni's dynamic configuration that differs between the running cluster and the settings.</summary>
/// <param name="Pointer">The key as a JSON pointer (e.g. /ttl, /postgresql/parameters/shared_buffers).</param>
/// <param name="From">The running cluster's value; null when the key is not set there.</param>
/// <param name="To">The value the settings want.</param>
/// <param name="NeedsRestart">A PostgreSQL parameter that takes effect only after a restart.</param>
public sealed record ConfigurationChange(string Pointer, ConfigValue? From, ConfigValue To, bool NeedsRestart)
{
    /// <summary>How the key reads in a plan (ttl, postgresql.use_slots, shared_buffers).</summary>
    public string Name => LivePatroniConfiguration.DisplayName(Pointer);

    /// <summary>"ttl 20 -> 30", "synchronous_mode (unset) -> true".</summary>
    public string Description => $"{Name} {From?.Text ?? "(unset)"} -> {To.Text}";

    /// <summary>The PostgreSQL parameter this change sets, or null when it is a Patroni setting.</summary>
    public string? Parameter => Pointer.StartsWith(LivePatroniConfiguration.ParametersPointer, StringComparison.Ordinal) ? Name : null;
}
