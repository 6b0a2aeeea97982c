namespace PgHa.Core.Preflight;

/// <summary>
/// An existing Secret: the names of its keys and, when it has one, the value of its <c>username</c> key (a role
/// name, not a secret). No other value is ever read into it.
/// </summary>
public sealed record ObservedSecret(string Namespace, string Name, IReadOnlyList<string> Keys, string? Username);
