using PgHa.Core.Settings;

namespace PgHa.Core.Preflight;

/// <summary>An existing Secret the settings refer to: the keys it must have and, for the superuser, the username it must hold.</summary>
/// <param name="Role">Whose credentials it holds, for the message.</param>
/// <param name="RequiredUsername">The only username that works, when there is one.</param>
/// <param name="Why">Why that username, for the message.</param>
public sealed record SecretRequirement(
    string Namespace,
    string Name,
    ConfigKey Key,
    string Role,
    IReadOnlyList<string> RequiredKeys,
    string? RequiredUsername = null,
    string? Why = null)
{
    public override string ToString() => $"Secret {Namespace}/{Name}";
}
