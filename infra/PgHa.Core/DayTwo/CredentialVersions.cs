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
    /// <summary>
    /// The pod template annotation that holds <see cref="MembersVersion"/>: a rotated superuser or replication password
    /// changes the pod template, so every member still running with the old Secret is restarted by the rollout, also
    /// when a run stopped after the ALTER ROLE (the role then no longer counts as rotated, the template still differs).
    /// </summary>
    public const string PodTemplateAnnotation = "pgha/credential-versions";

    /// <summary>PBKDF2 rounds for <see cref="MembersVersion"/>: a pod annotation is readable more widely than a Secret.</summary>
    public const int MembersVersionIterations = 100_000;

    /// <summary>
    /// What the members' credentials are, as the pod template shows it: PBKDF2-SHA256 (salted with
    /// <paramref name="cluster"/>, <see cref="MembersVersionIterations"/> rounds) over the superuser's and the replication
    /// role's <see cref="Fingerprint"/>s. It changes with either password or username and never with the app's (the members
    /// do not use it); guessing a password from it costs as much as from a stored SCRAM verifier, and more.
    /// </summary>
    /// <param name="cluster">namespace/name of the cluster: the same passwords give other values in other clusters.</param>
    public static string MembersVersion(string cluster, string superuserFingerprint, string replicationFingerprint) =>
        Convert.ToHexStringLower(Rfc2898DeriveBytes.Pbkdf2(
            Encoding.UTF8.GetBytes($"{superuserFingerprint}\n{replicationFingerprint}"),
            Encoding.UTF8.GetBytes($"pgha pod template credentials\n{cluster}"),
            MembersVersionIterations,
            HashAlgorithmName.SHA256,
            32));

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
