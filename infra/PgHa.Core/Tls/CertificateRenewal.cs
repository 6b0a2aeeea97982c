namespace PgHa.Core.Tls;

/// <summary>What a <c>pulumi up</c> does with the certificates it issued before.</summary>
public enum RenewalAction
{
    /// <summary>Keep them: same names, not yet in the renewal window. The Secret and the pods stay as they are.</summary>
    Keep,

    /// <summary>A new server certificate and key under the same CA (the names changed, or it is about to expire).</summary>
    ReissueServer,

    /// <summary>A new CA and a new server certificate (the CA is about to expire): clients must be given the new CA.</summary>
    ReplaceCa,
}

/// <summary>The decision and why, for the preview and the provider's log.</summary>
public sealed record RenewalDecision(RenewalAction Action, string Reason);

/// <summary>
/// When issued certificates are kept and when they are renewed: a pure function of what was issued, what is wanted and
/// the time, so that two runs of the stack on the same config produce the same Secret and the same pods, and the
/// certificates change only before they expire or when the cluster's names change.
/// </summary>
public static class CertificateRenewal
{
    public static RenewalDecision Decide(IReadOnlyCollection<string> issuedNames, IReadOnlyCollection<string> wantedNames,
        DateTimeOffset notAfter, DateTimeOffset caNotAfter, TimeSpan renewBefore, DateTimeOffset now)
    {
        if (now >= caNotAfter - renewBefore)
        {
            return new RenewalDecision(RenewalAction.ReplaceCa, now >= caNotAfter
                ? $"the CA expired at {caNotAfter:O}"
                : $"the CA expires at {caNotAfter:O}, within the renewal window of {renewBefore.TotalDays:0.#} days");
        }

        var issued = issuedNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var wanted = wantedNames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!issued.SetEquals(wanted))
        {
            var added = wanted.Except(issued).Order(StringComparer.Ordinal).ToArray();
            var removed = issued.Except(wanted).Order(StringComparer.Ordinal).ToArray();
            return new RenewalDecision(RenewalAction.ReissueServer,
                $"the cluster's names changed (added: {List(added)}; removed: {List(removed)})");
        }

        if (now >= notAfter - renewBefore)
        {
            return new RenewalDecision(RenewalAction.ReissueServer, now >= notAfter
                ? $"the server certificate expired at {notAfter:O}"
                : $"the server certificate expires at {notAfter:O}, within the renewal window of {renewBefore.TotalDays:0.#} days");
        }

        return new RenewalDecision(RenewalAction.Keep, $"valid until {notAfter:O} for the same names");
    }

    private static string List(IReadOnlyCollection<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
