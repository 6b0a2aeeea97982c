namespace PgHa.Core.Patroni;

/// <summary><c>restapi</c>: where a member's REST API listens and how the others reach it (local to a member).</summary>
public sealed record PatroniRestApi(string Listen, string ConnectAddress);
