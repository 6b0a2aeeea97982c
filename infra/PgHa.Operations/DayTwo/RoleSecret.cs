using PgHa.Core.DayTwo;

namespace PgHa.Operations.DayTwo;

/// <summary>A role's credentials as its Secret holds them now (the password is never printed: <see cref="ToString"/> omits it).</summary>
public sealed record RoleSecret(CredentialRole Role, string Username, string Password)
{
    public override string ToString() => $"{Role} ({Username})";
}
