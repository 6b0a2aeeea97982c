namespace PgHa.Core.Settings;

/// <summary>
/// One stack config key, declared once (in <see cref="ConfigKeys"/>) with everything about it: its name, type, what
/// it means, its limits and its default. The description in Pulumi.yaml and docs/configuration.md is generated from
/// the declared values (<see cref="Description"/>), and every fix hint names the key through it
/// (<see cref="SetCommand"/>), so none of them can drift from what the loader does.
/// </summary>
public abstract class ConfigKey
{
    /// <summary>The project namespace every key of this program lives in.</summary>
    public const string ProjectNamespace = "pgha";

    private protected ConfigKey(string name, string summary, string keyNamespace)
    {
        Name = name;
        Summary = summary;
        KeyNamespace = keyNamespace;
    }

    /// <summary>The name inside its namespace, as Pulumi.yaml declares it: <c>replicas</c>.</summary>
    public string Name { get; }

    /// <summary>The config namespace: <c>pgha</c>, or <c>aws</c> for the AWS provider's region.</summary>
    public string KeyNamespace { get; }

    /// <summary>The full name, as <c>pulumi config set</c> takes it: <c>pgha:replicas</c>.</summary>
    public string FullName => $"{KeyNamespace}:{Name}";

    /// <summary>What the key means, without its limits and default (those are generated).</summary>
    public string Summary { get; }

    public abstract ConfigKeyType Type { get; }

    /// <summary>Whether the value is a Pulumi secret (<c>pulumi config set --secret</c>).</summary>
    public virtual bool Secret => false;

    /// <summary>What a fix hint suggests when there is no default to suggest: <c>&lt;namespace&gt;</c>.</summary>
    public string Placeholder { get; init; } = "<value>";

    /// <summary>The declared limits as a sentence (<c>From 2 to 9.</c>), or null when any value of the type is allowed.</summary>
    public abstract string? LimitsText { get; }

    /// <summary>What holds when the key is not set, as a sentence (<c>Default: 3.</c>, <c>Required.</c>), or null.</summary>
    public abstract string? DefaultText { get; }

    /// <summary>The documentation of the key: its summary, then its limits and its default, both from the declared values.</summary>
    public string Description => string.Join(' ', new[] { Summary, LimitsText, DefaultText }.Where(t => !string.IsNullOrEmpty(t)));

    /// <summary>The command that sets the key: <c>pulumi config set pgha:replicas 3</c>.</summary>
    public string SetCommand(string value) => $"pulumi config set {FullName} {value}";

    /// <summary>The command that removes the key: <c>pulumi config rm pgha:kmsKeyArn</c>.</summary>
    public string RemoveCommand => $"pulumi config rm {FullName}";

    public override string ToString() => FullName;

    /// <summary>A phrase as a sentence: capitalised, with a full stop.</summary>
    private protected static string Sentence(string phrase) => char.ToUpperInvariant(phrase[0]) + phrase[1..] + ".";
}
