using System.Collections.Immutable;
using Pulumi;

namespace PgHaInfra.Tests;

/// <summary>What one mocked run of the program produced.</summary>
/// <param name="OutputsRegistered">The URN of every resource that registered its outputs.</param>
/// <param name="OutputNames">The names of the outputs each of them registered, by URN.</param>
public sealed record StackRun(ImmutableArray<Resource> Resources, IDictionary<string, object?> Outputs,
    IReadOnlyList<RegisteredResource> Registered, IReadOnlyList<string> Invokes, IReadOnlyList<string> OutputsRegistered,
    IReadOnlyDictionary<string, IReadOnlyList<string>> OutputNames)
{
    public IEnumerable<T> Of<T>() where T : Resource => Resources.OfType<T>();

    public T Single<T>() where T : Resource => Assert.Single(Resources.OfType<T>());

    public IEnumerable<RegisteredResource> OfType(string type) => Registered.Where(r => r.Type == type);
}
