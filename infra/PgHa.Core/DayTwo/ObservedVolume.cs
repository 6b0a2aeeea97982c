namespace PgHa.Core.DayTwo;

/// <summary>
/// One member's data volume claim (pgdata-&lt;pod&gt;). Kept apart from the members: a claim outlives its pod, so a
/// claim left by an earlier scale-down is grown too when its ordinal comes back.
/// </summary>
/// <param name="Claim">The PersistentVolumeClaim name.</param>
/// <param name="Ordinal">The ordinal of the pod the claim belongs to.</param>
/// <param name="Requested">The claim's requested size (spec.resources.requests.storage), a Kubernetes quantity.</param>
/// <param name="Capacity">The size the volume has (status.capacity.storage); null when not reported yet.</param>
public sealed record ObservedVolume(string Claim, int Ordinal, string Requested, string? Capacity);
