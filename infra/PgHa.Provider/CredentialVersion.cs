using PgHa.Core.DayTwo;

namespace PgHa.Provider;

/// <summary>One role's credential as the rollout sees it: the Secret that holds it, its username and a fingerprint of its Secret's version, never the password.</summary>
public sealed record CredentialVersion(CredentialRole Role, string SecretName, string Username, string Version);
