using System.Globalization;

namespace PgHa.Core.Settings;

/// <summary>
/// Reads typed values from stack config and records a <see cref="ConfigError"/> for every bad one instead of
/// stopping at the first, returning the default so later rules can still be checked.
/// </summary>
internal sealed class ConfigReader(IStackConfig config)
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Add(string key, string? value, string problem, string fix) => _errors.Add(new ConfigError(key, value, problem, fix));

    public string? OptionalString(ConfigKey key)
    {
        var value = config.Get(key.FullName);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The value or its default; <paramref name="validate"/> returns a problem or null.</summary>
    public string String(ConfigKey key, string defaultValue, Func<string, string?> validate)
    {
        var value = OptionalString(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (validate(value) is { } problem)
        {
            Add(key.FullName, value, problem, $"pulumi config set {key.FullName} {defaultValue}");
            return defaultValue;
        }

        return value;
    }

    public string? RequiredString(ConfigKey key, string fix, Func<string, string?> validate)
    {
        var value = OptionalString(key);
        if (value is null)
        {
            Add(key.FullName, null, "is required.", fix);
            return null;
        }

        if (validate(value) is { } problem)
        {
            Add(key.FullName, value, problem, fix);
            return null;
        }

        return value;
    }

    public bool Bool(ConfigKey key, bool defaultValue)
    {
        var value = OptionalString(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }

        Add(key.FullName, value, "must be true or false.", $"pulumi config set {key.FullName} {defaultValue.ToString().ToLowerInvariant()}");
        return defaultValue;
    }

    public int Int(ConfigKey key, int defaultValue, int min, int max, string rule)
    {
        var value = OptionalString(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            Add(key.FullName, value, "is not a whole number.", $"pulumi config set {key.FullName} {defaultValue}");
            return defaultValue;
        }

        if (parsed < min || parsed > max)
        {
            Add(key.FullName, value, $"must be {rule}.", $"pulumi config set {key.FullName} {defaultValue}");
            return defaultValue;
        }

        return parsed;
    }

    /// <summary>An enum spelled in lower case in config (<c>eks</c>, <c>strict</c>).</summary>
    public TEnum Enum<TEnum>(ConfigKey key, TEnum defaultValue)
        where TEnum : struct, Enum
    {
        var value = OptionalString(key);
        if (value is null)
        {
            return defaultValue;
        }

        if (System.Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) && System.Enum.IsDefined(parsed)
            && !int.TryParse(value, out _))
        {
            return parsed;
        }

        var allowed = string.Join(", ", System.Enum.GetNames<TEnum>().Select(CamelCase));
        Add(key.FullName, value, $"must be one of: {allowed}.",
            $"pulumi config set {key.FullName} {CamelCase(defaultValue.ToString())}");
        return defaultValue;
    }

    /// <summary>How config spells enum values: eks, strict, portForward.</summary>
    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    /// <summary>A PostgreSQL size (e.g. 16MB) in bytes.</summary>
    public long Size(ConfigKey key, string defaultValue)
    {
        var text = String(key, defaultValue, v =>
            PostgresSize.TryParse(v) is null ? "is not a PostgreSQL size (a whole number with B, kB, MB, GB or TB, e.g. 16MB)." : null);
        return PostgresSize.TryParse(text) ?? PostgresSize.TryParse(defaultValue)!.Value;
    }

    /// <summary>
    /// A role's credentials: the password from a config secret or an existing Secret, exactly one of the two.
    /// The secret's value is never read here, only whether it is set.
    /// </summary>
    public CredentialSource Credential(string username, ConfigKey passwordKey, ConfigKey existingSecretKey)
    {
        var hasPassword = config.IsSet(passwordKey.FullName);
        var existing = OptionalString(existingSecretKey);
        if (hasPassword && existing is not null)
        {
            Add(existingSecretKey.FullName, existing,
                $"{passwordKey.FullName} is set too; the credentials would come from two places.",
                $"pulumi config rm {passwordKey.FullName}  (or: pulumi config rm {existingSecretKey.FullName})");
        }
        else if (!hasPassword && existing is null)
        {
            Add(passwordKey.FullName, null, $"the password of role \"{username}\" is missing.",
                $"pulumi config set --secret {passwordKey.FullName} <password>  (or: pulumi config set {existingSecretKey.FullName} <existing Secret name>)");
        }

        return new CredentialSource(username, existing is null ? passwordKey : null, existing);
    }
}
