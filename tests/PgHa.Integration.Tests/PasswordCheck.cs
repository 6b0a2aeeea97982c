namespace PgHa.Integration.Tests;

/// <summary>What the primary answered a new connection with the old and with the new app password at one moment of a run.</summary>
/// <param name="At">Since the run's seam was created.</param>
/// <param name="OldPassword">"accepted", "refused" or "failed (...)".</param>
internal sealed record PasswordCheck(TimeSpan At, string Primary, string OldPassword, string NewPassword)
{
    public override string ToString() => $"at {At.TotalSeconds:0.000}s on {Primary}: old password {OldPassword}, new password {NewPassword}";
}
