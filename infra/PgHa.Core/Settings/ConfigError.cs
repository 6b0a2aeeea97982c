namespace PgHa.Core.Settings;

/// <summary>One problem with the stack config: which key, what it held, what is wrong, and how to fix it.</summary>
public sealed record ConfigError(string Key, string? Value, string Problem, string Fix)
{
    public override string ToString()
    {
        var shown = Value is null ? "(not set)" : $"\"{Value}\"";
        return $"{Key} = {shown}: {Problem} Fix: {Fix}";
    }
}

/// <summary>Thrown before anything is created when the stack config has one or more problems; lists them all.</summary>
public sealed class SettingsValidationException(IReadOnlyList<ConfigError> errors)
    : Exception(Format(errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;

    private static string Format(IReadOnlyList<ConfigError> errors) =>
        $"The stack config has {errors.Count} problem(s); nothing was created:" + Environment.NewLine +
        string.Join(Environment.NewLine, errors.Select(e => "  - " + e));
}
