namespace PgHa.Core.Settings;

/// <summary>A Kubernetes quantity (<c>500m</c>, <c>2</c>, <c>1Gi</c>) with its default and optional bounds.</summary>
public sealed class QuantitySetting : ConfigKey
{
    public QuantitySetting(string name, string summary, string defaultValue)
        : base(name, summary, ProjectNamespace)
    {
        if (KubernetesQuantity.TryParse(defaultValue) is null)
        {
            throw new ArgumentException($"{FullName}: the default {defaultValue} is not a Kubernetes quantity.");
        }

        Default = defaultValue;
    }

    public string Default { get; }

    /// <summary>The least value taken, and why (<c>PostgreSQL and Patroni do not fit</c>).</summary>
    public (string Value, string Reason)? Min { get; init; }

    /// <summary>The largest value taken, and why.</summary>
    public (string Value, string Reason)? Max { get; init; }

    public override ConfigKeyType Type => ConfigKeyType.String;

    public override string LimitsText =>
        "A Kubernetes quantity" + (Min is { } min ? $", at least {min.Value}" : string.Empty)
        + (Max is { } max ? $", at most {max.Value}" : string.Empty) + ".";

    public override string DefaultText => $"Default: {Default}.";

    /// <summary>The problem with a value, or null when it is a quantity within the bounds.</summary>
    public string? Problem(string value) =>
        KubernetesQuantity.TryParse(value) is not { } amount ? $"is not a Kubernetes quantity (e.g. {Default})."
        : Min is { } min && amount < KubernetesQuantity.TryParse(min.Value) ? $"is less than {min.Value}; {min.Reason}."
        : Max is { } max && amount > KubernetesQuantity.TryParse(max.Value) ? $"is more than {max.Value}, {max.Reason}."
        : null;
}
