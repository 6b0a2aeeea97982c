using System.Diagnostics;
using Npgsql;
using PgHa.Core.DayTwo;
using PgHa.Operations.DayTwo;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// The day-2 seam of a loopback cluster, watched for the app password's window: it passes every call through and,
/// right after the app role's <c>ALTER ROLE</c> and right after each Deployment restart, records the time and which of
/// the old and new app passwords the primary accepts (a fresh connection each, as a new connection of an app pod would).
/// The time between the two is how long app pods still running with the old password have their new connections refused.
/// </summary>
internal sealed class AppPasswordWindow(IDayTwoCluster inner, PatroniCluster cluster, string appUser, string oldPassword, string newPassword)
    : IDayTwoCluster
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _ownCheck;

    /// <summary>Just before the app role's ALTER ROLE (the Secret already has the new password), what the primary accepted.</summary>
    public PasswordCheck? BeforeAlterRole { get; private set; }

    /// <summary>When the app role's verifier was set, and what the primary accepted right after.</summary>
    public PasswordCheck? AfterAlterRole { get; private set; }

    /// <summary>When each app Deployment was restarted, and what the primary accepted right after.</summary>
    public List<PasswordCheck> AfterDeploymentRestarts { get; } = [];

    /// <summary>Other steps run between the app's ALTER ROLE and its first Deployment restart ("recreate pg-2", ...).</summary>
    public List<string> StepsInBetween { get; } = [];

    /// <summary>
    /// From the end of the app role's ALTER ROLE to the first Deployment restart, without the time this probe's own
    /// check after the ALTER ROLE took.
    /// </summary>
    public TimeSpan? Window => AfterAlterRole is { } alter && AfterDeploymentRestarts.Count > 0 ? AfterDeploymentRestarts[0].At - alter.At - _ownCheck : null;

    public Task<ObservedCluster> ObserveAsync(CancellationToken cancellationToken) => inner.ObserveAsync(cancellationToken);

    public async Task RecreatePodAsync(string pod, DayTwoWait wait, CancellationToken cancellationToken)
    {
        Between($"recreate {pod}");
        await inner.RecreatePodAsync(pod, wait, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RestartPostgresAsync(string pod, bool onlyIfPending, CancellationToken cancellationToken)
    {
        Between($"restart postgres {pod}");
        return await inner.RestartPostgresAsync(pod, onlyIfPending, cancellationToken).ConfigureAwait(false);
    }

    public Task<string?> SwitchoverBlockerAsync(string leader, string candidate, CancellationToken cancellationToken) =>
        inner.SwitchoverBlockerAsync(leader, candidate, cancellationToken);

    public async Task SwitchoverAsync(string leader, string candidate, CancellationToken cancellationToken)
    {
        Between($"switchover {leader} -> {candidate}");
        await inner.SwitchoverAsync(leader, candidate, cancellationToken).ConfigureAwait(false);
    }

    public Task<LivePatroniConfiguration> ReadConfigurationAsync(CancellationToken cancellationToken) => inner.ReadConfigurationAsync(cancellationToken);

    public Task<LivePatroniConfiguration> PatchConfigurationAsync(string json, CancellationToken cancellationToken) =>
        inner.PatchConfigurationAsync(json, cancellationToken);

    public Task<string> ReadPasswordAsync(CredentialRole role, CancellationToken cancellationToken) => inner.ReadPasswordAsync(role, cancellationToken);

    public async Task SetPasswordVerifierAsync(string username, string verifier, CancellationToken cancellationToken)
    {
        if (username == appUser)
        {
            BeforeAlterRole = await CheckAsync(_clock.Elapsed, "before ALTER ROLE").ConfigureAwait(false);
        }

        await inner.SetPasswordVerifierAsync(username, verifier, cancellationToken).ConfigureAwait(false);
        if (username == appUser)
        {
            var at = _clock.Elapsed;
            AfterAlterRole = await CheckAsync(at, "after ALTER ROLE").ConfigureAwait(false);
            _ownCheck = _clock.Elapsed - at;
        }
    }

    public Task DropReplicationSlotAsync(string slot, CancellationToken cancellationToken) => inner.DropReplicationSlotAsync(slot, cancellationToken);

    public Task GrowVolumeAsync(string claim, string size, DayTwoWait wait, CancellationToken cancellationToken) =>
        inner.GrowVolumeAsync(claim, size, wait, cancellationToken);

    public Task ScaleStatefulSetAsync(int replicas, DayTwoWait wait, CancellationToken cancellationToken) =>
        inner.ScaleStatefulSetAsync(replicas, wait, cancellationToken);

    public async Task RestartDeploymentAsync(string ns, string name, CancellationToken cancellationToken)
    {
        await inner.RestartDeploymentAsync(ns, name, cancellationToken).ConfigureAwait(false);
        var at = _clock.Elapsed;
        AfterDeploymentRestarts.Add(await CheckAsync(at, $"after restarting {ns}/{name}").ConfigureAwait(false));
    }

    private void Between(string step)
    {
        if (AfterAlterRole is not null && AfterDeploymentRestarts.Count == 0)
        {
            StepsInBetween.Add(step);
        }
    }

    private async Task<PasswordCheck> CheckAsync(TimeSpan at, string when)
    {
        var leader = await cluster.WaitForLeaderAsync($"the primary, to try the app passwords {when}", TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return new PasswordCheck(at, leader.Name, await OutcomeAsync(leader, oldPassword).ConfigureAwait(false),
            await OutcomeAsync(leader, newPassword).ConfigureAwait(false));
    }

    /// <summary>"accepted", "refused" (28P01) or the other error's SQLSTATE/message.</summary>
    private async Task<string> OutcomeAsync(PatroniMember primary, string password)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(primary.ConnectionString()) { Username = appUser, Password = password }.ConnectionString;
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync().ConfigureAwait(false);
            return "accepted";
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword)
        {
            return "refused";
        }
        catch (PostgresException e)
        {
            return $"failed ({e.SqlState})";
        }
        catch (NpgsqlException e)
        {
            return $"failed ({e.Message})";
        }
    }
}
