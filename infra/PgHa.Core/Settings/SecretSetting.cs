namespace PgHa.Core.Settings;

/// <summary>
/// A password kept as a Pulumi secret, or instead an existing Kubernetes Secret named by <see cref="ExistingSecret"/>:
/// exactly one of the two. The loader only ever asks whether the secret is set; its value never passes through Core.
/// </summary>
public sealed class SecretSetting(string name, string summary, StringSetting existingSecret) : ConfigKey(name, summary, ProjectNamespace)
{
    /// <summary>The key naming an existing Secret that replaces this password.</summary>
    public StringSetting ExistingSecret { get; } = existingSecret;

    public override ConfigKeyType Type => ConfigKeyType.String;

    public override bool Secret => true;

    public override string? LimitsText => null;

    public override string DefaultText => $"Required, unless {ExistingSecret.FullName} is set instead.";

    /// <summary>The command that sets the secret: <c>pulumi config set --secret pgha:appPassword &lt;password&gt;</c>.</summary>
    public string SetSecretCommand => $"pulumi config set --secret {FullName} <password>";
}
