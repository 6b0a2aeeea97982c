namespace PgHa.Core.DayTwo;

/// <summary>
/// A role whose password in the Secret differs from the one the database has. The caller decides this by comparing
/// fingerprints; the password itself never enters the planner.
/// </summary>
/// <param name="Username">The role's name as the Secret gives it (what ALTER ROLE names).</param>
public sealed record RotatedCredential(CredentialRole Role, string Username);
