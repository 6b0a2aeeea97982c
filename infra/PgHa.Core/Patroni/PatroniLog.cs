namespace PgHa.Core.Patroni;

/// <summary><c>log</c>: the directory Patroni writes its own log to (patroni.log) instead of stderr.</summary>
public sealed record PatroniLog(string Dir);
