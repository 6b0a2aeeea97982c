namespace PgHa.Core.Verification;

/// <summary>Asks one member about its replication state (the seam the verifier's unit tests replace).</summary>
public interface IMemberProbe
{
    Task<MemberObservation> ObserveAsync(MemberEndpoint member, CancellationToken cancellationToken);
}
