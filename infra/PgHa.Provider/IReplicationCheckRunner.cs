using PgHa.Core.Migration;
using PgHa.Core.Verification;

namespace PgHa.Provider;

/// <summary>Runs the verification for a set of inputs (the seam the provider's unit tests replace).</summary>
public interface IReplicationCheckRunner
{
    Task<CheckOutcome> RunAsync(ReplicationCheckInputs inputs, Action<string> progress, CancellationToken cancellationToken);
}

/// <summary>The verification, and the migration report when the inputs asked for one (reportDatabase).</summary>
public sealed record CheckOutcome(VerificationReport Report, MigrationReport? Migration);
