namespace PgHa.Core.Patroni;

/// <summary><c>watchdog</c>: whether Patroni uses a watchdog device (<c>off</c>, <c>automatic</c>, <c>required</c>).</summary>
public sealed record PatroniWatchdog(string Mode);
