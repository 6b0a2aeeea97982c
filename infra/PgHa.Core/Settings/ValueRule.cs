namespace PgHa.Core.Settings;

/// <summary>
/// What a value must look like: the words the docs use (<c>a DNS-1123 label of at most 63 characters</c>) and the check
/// that returns the problem with a value (<c>is longer than 63 characters.</c>), or null when it is fine.
/// </summary>
public sealed record ValueRule(string Text, Func<string, string?> Problem);
