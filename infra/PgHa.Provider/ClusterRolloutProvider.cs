using System.Collections.Immutable;
using System.Globalization;
using PgHa.Core.DayTwo;
using PgHa.Core.Settings;
using Pulumi;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Input = PgHa.Core.DayTwo.ClusterRolloutContract.InputName;
using Output = PgHa.Core.DayTwo.ClusterRolloutContract.OutputName;

namespace PgHa.Provider;

/// <summary>
/// <c>pgha:index:ClusterRollout</c>: brings a running cluster to the stack's settings on every <c>pulumi up</c>, the way the
/// database wants it (volumes grown in place, Patroni settings applied live, passwords set on the roles first, replicas
/// restarted one at a time, one switchover, the old primary last). Check refuses a smaller volume size; Diff and a
/// preview show the planned steps (logged to the engine against the resource) without any cluster call; Update runs
/// the rollout through <see cref="IClusterRolloutRunner"/> and fails with what happened when a step fails.
/// </summary>
/// <param name="engine">The engine, for the planned steps and the rollout's progress (shown against the resource); null when nobody looks.</param>
public sealed class ClusterRolloutProvider(IClusterRolloutRunner runner, IEngine? engine = null) : Pulumi.Experimental.Provider.Provider
{
    public const string ResourceType = ClusterRolloutContract.ResourceType;

    public override Task<CheckResponse> Check(CheckRequest request, CancellationToken ct)
    {
        var (inputs, failures) = ClusterRolloutInputs.Parse(request.NewInputs);
        if (inputs is not null && !request.OldInputs.IsEmpty && ClusterRolloutInputs.Parse(request.OldInputs).Inputs is { } applied
            && !inputs.Unknown.Contains(Input.StorageSize) && inputs.StorageBytes < applied.StorageBytes)
        {
            // A volume never shrinks: refused at preview, before anything runs.
            var refusals = RolloutPreview.Plan(inputs, applied, primary: null).Refusals.Where(r => r.ConfigKey == ConfigKeys.StorageSize.FullName);
            failures = [.. failures, .. refusals.Select(r => new CheckFailure(Input.StorageSize, r.ToString()))];
        }

        return Task.FromResult(new CheckResponse { Inputs = request.NewInputs, Failures = failures });
    }

    public override async Task<DiffResponse> Diff(DiffRequest request, CancellationToken ct)
    {
        var changed = ClusterRolloutContract.Inputs.Select(i => i.Name)
            .Where(name => !Equals(request.OldInputs.GetValueOrDefault(name), request.NewInputs.GetValueOrDefault(name)))
            .ToList();
        if (changed.Count > 0 && ClusterRolloutInputs.Parse(request.NewInputs).Inputs is { } desired)
        {
            var lines = RolloutPreview.Lines(desired, ClusterRolloutInputs.Parse(request.OldInputs).Inputs, PrimaryOf(request.OldOutputs));
            await LogAsync("planned rollout: " + string.Join("; then ", lines), request.Urn).ConfigureAwait(false);
        }

        return new DiffResponse { Changes = changed.Count > 0, Diffs = changed, Replaces = [] };
    }

    /// <summary>A new cluster: its members start from the current template and configuration, so there is nothing to roll out.</summary>
    public override Task<CreateResponse> Create(CreateRequest request, CancellationToken ct)
    {
        var inputs = Parsed(request.Inputs);
        var lines = RolloutPreview.Lines(inputs, applied: null, primary: null);
        return Task.FromResult(new CreateResponse
        {
            Id = $"{inputs.Namespace}/{inputs.StatefulSetName}",
            Outputs = Outputs(inputs, primary: null, lines, preview: request.Preview),
        });
    }

    public override async Task<UpdateResponse> Update(UpdateRequest request, CancellationToken ct)
    {
        var desired = Parsed(request.NewInputs);
        var applied = ClusterRolloutInputs.Parse(request.OldInputs).Inputs;
        var primary = PrimaryOf(request.OldOutputs);
        if (request.Preview || desired.Unknown.Count > 0)
        {
            // No cluster call during preview: the plan as the last rollout left the cluster.
            var lines = RolloutPreview.Lines(desired, applied, primary);
            await LogAsync("planned rollout: " + string.Join("; then ", lines), request.Urn).ConfigureAwait(false);
            return new UpdateResponse { Outputs = Outputs(desired, primary, lines, preview: true) };
        }

        var outcome = await runner.ApplyAsync(new RolloutRequest(desired, applied),
            message => _ = LogAsync(message, request.Urn, ephemeral: true), ct).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"{desired}: {outcome.Failure}");
        }

        await LogAsync("rolled out: " + string.Join("; then ", outcome.Plan), request.Urn).ConfigureAwait(false);
        return new UpdateResponse { Outputs = Outputs(desired, outcome.Primary, outcome.Plan, preview: false) };
    }

    /// <summary>`pulumi refresh`: the recorded state stays; what the next rollout would do is logged (a read of the cluster).</summary>
    public override async Task<ReadResponse> Read(ReadRequest request, CancellationToken ct)
    {
        if (ClusterRolloutInputs.Parse(request.Inputs).Inputs is { } inputs)
        {
            var lines = await runner.PlanAsync(new RolloutRequest(inputs, inputs), ct).ConfigureAwait(false);
            await LogAsync("the running cluster against the recorded settings: " + string.Join("; then ", lines), request.Urn).ConfigureAwait(false);
        }

        return new ReadResponse { Id = request.Id, Inputs = request.Inputs, Outputs = request.Outputs };
    }

    /// <summary>Nothing to delete: the rollout creates nothing of its own.</summary>
    public override Task Delete(DeleteRequest request, CancellationToken ct) => Task.CompletedTask;

    private static ClusterRolloutInputs Parsed(ImmutableDictionary<string, PropertyValue> properties)
    {
        var (inputs, failures) = ClusterRolloutInputs.Parse(properties);
        return inputs ?? throw new InvalidOperationException("invalid ClusterRollout inputs: " + string.Join("; ", failures.Select(f => $"{f.Property}: {f.Reason}")));
    }

    private static string? PrimaryOf(ImmutableDictionary<string, PropertyValue> state) =>
        state.TryGetValue(Output.Primary, out var value) && value.TryGetString(out var primary) && !string.IsNullOrEmpty(primary) ? primary : null;

    private static IDictionary<string, PropertyValue> Outputs(ClusterRolloutInputs inputs, string? primary, IReadOnlyList<string> lines, bool preview) =>
        new Dictionary<string, PropertyValue>
        {
            [Output.AppliedPodTemplateHash] = inputs.Unknown.Contains(Input.PodTemplateHash) ? PropertyValue.Computed : new PropertyValue(inputs.PodTemplateHash),
            [Output.Primary] = new(primary ?? string.Empty),
            [Output.LastPlan] = new(lines.Select(l => new PropertyValue(l)).ToImmutableArray()),
            [Output.AppliedAt] = preview ? PropertyValue.Computed : new PropertyValue(DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)),
        };

    private Task LogAsync(string message, Urn? urn, bool ephemeral = false) =>
        engine?.LogAsync(new LogRequest(LogSeverity.Info, message, urn, ephemeral: ephemeral)) ?? Task.CompletedTask;
}
