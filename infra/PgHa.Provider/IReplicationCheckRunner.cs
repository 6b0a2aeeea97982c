using PgHa.Core.Verification;

namespace PgHa.Provider;

/// <summary>Runs the verification for a set of inputs (the seam the provider's unit tests replace).</summary>
public interface IReplicationCheckRunner
{
    Task<VerificationReport> RunAsync(ReplicationCheckInputs inputs, Action<string> progress, CancellationToken cancellationToken);
}
