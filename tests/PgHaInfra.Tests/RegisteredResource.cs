using System.Collections.Immutable;

namespace PgHaInfra.Tests;

/// <summary>A registered resource as the engine mock saw it.</summary>
public sealed record RegisteredResource(string Type, string Name, ImmutableDictionary<string, object> Inputs, string? Provider);
