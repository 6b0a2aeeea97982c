using System.Globalization;

namespace PgHa.Core.Settings;

/// <summary>
/// Reads typed values from stack config through their declarations (<see cref="ConfigKeys"/>) and records a
/// <see cref="ConfigError"/> for every bad one instead of stopping at the first, returning the default so later rules
/// can still be checked. Each fix names the key from its declaration and suggests its default, or its placeholder.
/// </summary>
/// <param name="requireSecrets">false: a password that is not set is not an error (names-only mode, see <see cref="SettingsLoader.LoadNames"/>).</param>
internal sealed class ConfigReader(IStackConfig config, bool requireSecrets)
{
    private readonly List<ConfigError> _errors = [];

    public IReadOnlyList<ConfigError> Errors => _errors;

    public void Add(ConfigKey key, string? value, string problem, string fix) => _errors.Add(new ConfigError(key.FullName, value, problem, fix));

    /// <summary>The trimmed value, or null when the key is not set (or blank); not validated.</summary>
    public string? Raw(ConfigKey key)
    {
        var value = config.Get(key.FullName);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    /// <summary>The value, or <paramref name="fallback"/> when it is not set or breaks the key's rule (then an error suggests the fallback).</summary>
    public string String(StringSetting key, string fallback)
    {
        var value = Raw(key);
        if (value is null)
        {
            return fallback;
        }

        if (key.Problem(value) is { } problem)
        {
            Add(key, value, problem, key.SetCommand(fallback));
            return fallback;
        }

        return value;
    }

    /// <summary>The value or the key's declared default.</summary>
    public string String(StringSetting key) =>
        String(key, key.Default ?? throw new InvalidOperationException($"{key} declares no default; pass the fallback."));

    /// <summary>The value, or null with an error when it is missing or breaks the key's rule.</summary>
    public string? Required(StringSetting key)
    {
        var value = Raw(key);
        if (value is null)
        {
            Add(key, null, "is required.", key.SetCommand(key.Placeholder));
            return null;
        }

        return Valid(key, value);
    }

    /// <summary>A value already read, or null with an error when it breaks the key's rule.</summary>
    public string? Valid(StringSetting key, string value)
    {
        if (key.Problem(value) is { } problem)
        {
            Add(key, value, problem, key.SetCommand(key.Placeholder));
            return null;
        }

        return value;
    }

    public bool Bool(BoolSetting key)
    {
        var value = Raw(key);
        if (value is null)
        {
            return key.Default;
        }

        if (bool.TryParse(value, out var parsed))
        {
            return parsed;
        }

        Add(key, value, "must be true or false.", key.SetCommand(BoolSetting.Spelling(key.Default)));
        return key.Default;
    }

    public int Int(IntSetting key)
    {
        var value = Raw(key);
        if (value is null)
        {
            return key.Default;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            Add(key, value, "is not a whole number.", key.SetCommand(key.DefaultSpelling));
            return key.Default;
        }

        if (key.Problem(parsed) is { } problem)
        {
            Add(key, value, problem, key.SetCommand(key.DefaultSpelling));
            return key.Default;
        }

        return parsed;
    }

    public TEnum Enum<TEnum>(EnumSetting<TEnum> key)
        where TEnum : struct, Enum
    {
        var value = Raw(key);
        if (value is null)
        {
            return key.Default;
        }

        if (key.Parse(value) is { } parsed)
        {
            return parsed;
        }

        Add(key, value, $"must be one of: {key.Allowed}.", key.SetCommand(EnumSetting<TEnum>.Spelling(key.Default)));
        return key.Default;
    }

    /// <summary>A PostgreSQL size as written (e.g. 16MB), or the default.</summary>
    public string Size(SizeSetting key) => Checked(key, key.Default, key.Problem);

    /// <summary>A Kubernetes quantity as written (e.g. 500m), or the default.</summary>
    public string Quantity(QuantitySetting key) => Checked(key, key.Default, key.Problem);

    /// <summary>The value as written when <paramref name="problem"/> finds none in it; else the problem is recorded and the default returned.</summary>
    private string Checked(ConfigKey key, string fallback, Func<string, string?> problem)
    {
        var value = Raw(key);
        if (value is null)
        {
            return fallback;
        }

        if (problem(value) is { } found)
        {
            Add(key, value, found, key.SetCommand(fallback));
            return fallback;
        }

        return value;
    }

    /// <summary>
    /// A role's credentials: the password from a config secret or an existing Secret, exactly one of the two.
    /// The secret's value is never read here, only whether it is set; in names-only mode a missing password is no error.
    /// </summary>
    public CredentialSource Credential(string username, SecretSetting passwordKey)
    {
        var existingSecretKey = passwordKey.ExistingSecret;
        var hasPassword = config.IsSet(passwordKey.FullName);
        var existing = Raw(existingSecretKey);
        if (hasPassword && existing is not null)
        {
            Add(existingSecretKey, existing,
                $"{passwordKey.FullName} is set too; the credentials would come from two places.",
                $"{passwordKey.RemoveCommand}  (or: {existingSecretKey.RemoveCommand})");
        }
        else if (!hasPassword && existing is null && requireSecrets)
        {
            Add(passwordKey, null, $"the password of role \"{username}\" is missing.",
                $"{passwordKey.SetSecretCommand}  (or: {existingSecretKey.SetCommand(existingSecretKey.Placeholder)})");
        }

        return new CredentialSource(username, existing is null ? passwordKey : null, existing);
    }
}
