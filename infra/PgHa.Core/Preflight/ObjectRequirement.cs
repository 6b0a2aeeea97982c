using PgHa.Core.Settings;

namespace PgHa.Core.Preflight;

/// <summary>An object the settings say must already exist (an app ConfigMap or Deployment), and the key that names it.</summary>
/// <param name="Purpose">What the stack does with it, for the message.</param>
public sealed record ObjectRequirement(string Kind, string Namespace, string Name, ConfigKey Key, string Purpose)
{
    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
