namespace PgHa.Core.Preflight;

/// <summary>An area the preflight could not read (the API refused it), and why.</summary>
/// <param name="What">What was asked, e.g. "list nodes".</param>
/// <param name="Reason">The API's answer, e.g. "403 Forbidden".</param>
public sealed record UnreadArea(ReadArea Area, string What, string Reason);
