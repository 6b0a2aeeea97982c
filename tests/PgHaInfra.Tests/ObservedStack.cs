using System.Collections.Concurrent;
using PgHa.Infra;
using Pulumi;

namespace PgHaInfra.Tests;

/// <summary>The options one resource was registered with, as a stack transformation saw them.</summary>
/// <param name="IsRead">A read of an existing object (<c>Secret.Get</c>, a non-empty id), which Pulumi never deletes.</param>
/// <param name="IgnoreChanges">The input paths the engine keeps at their old values on an update.</param>
public sealed record ObservedOptions(string Type, string Name, bool? Protect, bool? RetainOnDelete, bool IsRead, IReadOnlyList<string> IgnoreChanges);

/// <summary>What the transformation saw; the id (empty for a resource Pulumi creates) is resolved after the run.</summary>
internal sealed record SeenResource(string Type, string Name, bool? Protect, bool? RetainOnDelete, Input<string>? Id, IReadOnlyList<string> IgnoreChanges);

/// <summary>The program inside a stack whose transformation records every resource's options (tests run serially).</summary>
public sealed class ObservedStack : Stack
{
    internal static ConcurrentQueue<SeenResource>? Sink;

    /// <summary>What the preflight reads instead of a cluster.</summary>
    internal static Func<PgHa.Operations.Kubernetes.KubeconfigTarget, PgHa.Core.Settings.PgHaSettings, Task<PgHa.Core.Preflight.ClusterSnapshot>>? ReadCluster;

    public ObservedStack()
        : base(new StackOptions { ResourceTransformations = { Record } })
    {
        // As Pulumi's own test stack runs an async program: to completion, inside the constructor.
        _ = PgHaProgram.RunAsync(ReadCluster!, _ => { }).GetAwaiter().GetResult();
    }

    private static ResourceTransformationResult? Record(ResourceTransformationArgs args)
    {
        Sink?.Enqueue(new SeenResource(args.Resource.GetResourceType(), args.Resource.GetResourceName(), args.Options.Protect,
            args.Options.RetainOnDelete, args.Options.Id, [.. args.Options.IgnoreChanges]));
        return null;
    }
}
