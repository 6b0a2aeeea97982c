namespace PgHa.Core.Kubernetes;

/// <summary>
/// The Pod Security admission labels of a namespace the stack creates: the "restricted" profile enforced, audited and
/// warned about. Enforcement is pinned to the profile's version the graph tests check the pods against, so a cluster
/// upgrade that tightens "restricted" cannot start refusing the pods unannounced; audit and warn follow the newest
/// version, so such a change shows up as a warning (in `kubectl` and the audit log) first.
/// </summary>
public static class PodSecurityAdmission
{
    public const string Profile = "restricted";

    /// <summary>The Kubernetes version of the profile that is enforced.</summary>
    public const string EnforcedVersion = "v1.33";

    private const string Prefix = "pod-security.kubernetes.io/";

    public static IReadOnlyDictionary<string, string> NamespaceLabels { get; } = new Dictionary<string, string>
    {
        [Prefix + "enforce"] = Profile,
        [Prefix + "enforce-version"] = EnforcedVersion,
        [Prefix + "audit"] = Profile,
        [Prefix + "audit-version"] = "latest",
        [Prefix + "warn"] = Profile,
        [Prefix + "warn-version"] = "latest",
    };
}
