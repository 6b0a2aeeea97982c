namespace PgHa.Core.Patroni;

/// <summary><c>bootstrap</c>: the dynamic configuration a new cluster starts with, and how its first member runs initdb.</summary>
public sealed record PatroniBootstrap(PatroniDynamicConfiguration Dcs, IReadOnlyList<InitdbOption> Initdb);
