using Pulumi;

namespace PgHa.Infra.Components;

/// <summary>
/// Passwords read from config secrets, one per role whose credentials the stack creates (null where the role
/// uses an existing Secret). Components get these from the program; they never read config themselves.
/// </summary>
public sealed record RolePasswords(Output<string>? Superuser, Output<string>? Replication, Output<string>? App);
