using System.Collections.Immutable;
using System.Globalization;
using PgHa.Core.Migration;
using PgHa.Core.Verification;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Output = PgHa.Core.Verification.ReplicationCheckContract.OutputName;

namespace PgHa.Provider;

/// <summary>
/// The pgha provider: one resource, <c>pgha:index:ReplicationCheck</c>, that proves after every deploy that the
/// cluster replicates (one primary, replicas streaming on its timeline within the lag limit, one healthy slot
/// each, Services pointing at the right pods) and fails the deployment with an actionable message otherwise. Its
/// schema, input checks and diffs come from <see cref="ReplicationCheckContract"/>.
/// </summary>
public sealed class ReplicationCheckProvider(IReplicationCheckRunner runner, Action<string>? log = null) : Pulumi.Experimental.Provider.Provider
{
    public const string Version = "0.1.0";
    public const string ResourceType = ReplicationCheckContract.ResourceType;

    private static readonly string[] OutputNames = [.. ReplicationCheckContract.Outputs.Select(o => o.Name)];

    /// <summary>The package schema, generated from the contract, so the provider and its callers cannot drift.</summary>
    public override Task<GetSchemaResponse> GetSchema(GetSchemaRequest request, CancellationToken ct) =>
        Task.FromResult(new GetSchemaResponse { Schema = PackageSchema.Json(Version) });

    public override Task<CheckResponse> Check(CheckRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        var (_, failures) = ReplicationCheckInputs.Parse(request.NewInputs);
        return Task.FromResult(new CheckResponse { Inputs = request.NewInputs, Failures = failures });
    }

    public override Task<DiffResponse> Diff(DiffRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        var changed = ReplicationCheckInputs.VerifiedOn
            .Where(name => !Equals(request.OldInputs.GetValueOrDefault(name), request.NewInputs.GetValueOrDefault(name)))
            .ToList();
        return Task.FromResult(new DiffResponse
        {
            Changes = changed.Count > 0,
            Diffs = changed,
            // A new verification replaces the outputs; nothing about the check itself needs replacing.
            Replaces = [],
        });
    }

    public override async Task<CreateResponse> Create(CreateRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        var outputs = await VerifyOrPreviewAsync(request.Inputs, request.Preview, ct).ConfigureAwait(false);
        var inputs = ReplicationCheckInputs.Parse(request.Inputs).Inputs;
        return new CreateResponse { Id = inputs is null ? request.Name : $"{inputs.Namespace}/{inputs.StatefulSetName}", Outputs = outputs };
    }

    public override async Task<UpdateResponse> Update(UpdateRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        return new UpdateResponse { Outputs = await VerifyOrPreviewAsync(request.NewInputs, request.Preview, ct).ConfigureAwait(false) };
    }

    /// <summary>`pulumi refresh`: verify again against the recorded inputs.</summary>
    public override async Task<ReadResponse> Read(ReadRequest request, CancellationToken ct)
    {
        EnsureType(request.Type);
        return new ReadResponse
        {
            Id = request.Id,
            Inputs = request.Inputs,
            Outputs = await VerifyOrPreviewAsync(request.Inputs, preview: false, ct).ConfigureAwait(false),
        };
    }

    /// <summary>Nothing to delete: the check creates nothing in the cluster.</summary>
    public override Task Delete(DeleteRequest request, CancellationToken ct) => Task.CompletedTask;

    private async Task<IDictionary<string, PropertyValue>> VerifyOrPreviewAsync(ImmutableDictionary<string, PropertyValue> properties, bool preview, CancellationToken ct)
    {
        if (preview || properties.Values.Any(v => v.IsComputed))
        {
            // No database call during preview: the outputs are known only after the deployment.
            return OutputNames.ToDictionary(name => name, _ => PropertyValue.Computed);
        }

        var (inputs, failures) = ReplicationCheckInputs.Parse(properties);
        if (inputs is null)
        {
            throw new InvalidOperationException("invalid ReplicationCheck inputs: " + string.Join("; ", failures.Select(f => $"{f.Property}: {f.Reason}")));
        }

        log?.Invoke($"verifying replication of {inputs}");
        var (report, migration) = await runner.RunAsync(inputs, message => log?.Invoke(message), ct).ConfigureAwait(false);
        if (!report.Passed)
        {
            throw new InvalidOperationException($"{inputs}: {report.FailureMessage()}");
        }

        if (inputs.ReportDatabase is { } database && migration is null)
        {
            throw new InvalidOperationException(
                $"{inputs}: no migration report in database {database} (schema pgha_migration): the migration did not complete; see the migration Job's log.");
        }

        return Outputs(report, migration);
    }

    internal static IDictionary<string, PropertyValue> Outputs(VerificationReport report, MigrationReport? migration) => new Dictionary<string, PropertyValue>
    {
        [Output.Migration] = migration is null ? PropertyValue.Null : new PropertyValue(ImmutableDictionary<string, PropertyValue>.Empty
            .Add(Output.MigrationSource, new PropertyValue(migration.Source))
            .Add(Output.MigrationTables, new PropertyValue(migration.Tables))
            .Add(Output.MigrationRows, new PropertyValue(migration.Rows))
            .Add(Output.MigrationDurationSeconds, new PropertyValue(migration.DurationSeconds))
            .Add(Output.MigrationFinishedAt, new PropertyValue(migration.FinishedAt.ToString("O", CultureInfo.InvariantCulture)))),
        // The primary's pg_stat_archiver when backups are on; null when not checked.
        [Output.Archiving] = report.Archiver is { } archiver && report.Passed ? new PropertyValue(archiver.ToString()) : PropertyValue.Null,
        [Output.Primary] = new(report.Primary ?? string.Empty),
        [Output.Replicas] = new(report.Replicas.Select(r => new PropertyValue(ImmutableDictionary<string, PropertyValue>.Empty
            .Add(Output.ReplicaName, new PropertyValue(r.Name))
            .Add(Output.ReplicaState, new PropertyValue(r.State))
            .Add(Output.ReplicaReplayLagBytes, r.ReplayLagBytes is { } lag ? new PropertyValue(lag) : PropertyValue.Null)
            .Add(Output.ReplicaSlot, r.Slot is { } slot ? new PropertyValue(slot) : PropertyValue.Null)
            .Add(Output.ReplicaSlotActive, new PropertyValue(r.SlotActive)))).ToImmutableArray()),
        [Output.SlotNames] = new(report.Replicas.Where(r => r.Slot is not null).Select(r => new PropertyValue(r.Slot!)).ToImmutableArray()),
        [Output.Timeline] = report.Timeline is { } timeline ? new PropertyValue(timeline) : PropertyValue.Null,
        [Output.CheckedAt] = new(report.CheckedAt.ToString("O", CultureInfo.InvariantCulture)),
    };

    private static void EnsureType(string type)
    {
        if (type != ResourceType)
        {
            throw new NotSupportedException($"this part of the pgha provider serves {ResourceType}; it was asked for {type}");
        }
    }
}
