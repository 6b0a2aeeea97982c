using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PgHa.Core.DayTwo;

/// <summary>
/// The rollout's credentialVersions input: per role the Secret that holds it, its username and a fingerprint of its
/// Secret's version (SHA-256 over role, username and password), so a rotated password is noticed while the password
/// itself never leaves the Secret (the executor reads it from the Secret named here when it sets the role's password).
/// The input is still a Pulumi secret: a fingerprint of a weak password can be guessed.
/// </summary>
public static class CredentialVersions
{
    public static string Fingerprint(CredentialRole role, string username, string password) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{role}\n{username}\n{password}")));

    /// <summary>{"superuser": {"secretName": "…", "username": "postgres", "version": "…"}, …} for each role given.</summary>
    public static string Json(IEnumerable<(CredentialRole Role, string SecretName, string Username, string Password)> credentials) =>
        JsonSerializer.Serialize(credentials.ToDictionary(
            c => c.Role.ToString().ToLowerInvariant(),
            c => new Dictionary<string, string>
            {
                ["secretName"] = c.SecretName,
                ["username"] = c.Username,
                ["version"] = Fingerprint(c.Role, c.Username, c.Password),
            }));
}
