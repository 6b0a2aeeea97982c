namespace PgHa.Core.DayTwo;

/// <summary>
/// <c>ALTER ROLE &lt;username&gt; PASSWORD '&lt;SCRAM verifier&gt;'</c> on the primary, with the new password from the
/// Secret: the server never sees the clear password, so no log can hold it. Runs before any pod picks up the new Secret.
/// </summary>
public sealed record RotatePassword(CredentialRole Role, string Username) : DayTwoStep
{
    public override string Description => $"ALTER ROLE {Username} password (SCRAM verifier)";

    public override ClusterRequirement Requires => ClusterRequirement.Leader;
}
