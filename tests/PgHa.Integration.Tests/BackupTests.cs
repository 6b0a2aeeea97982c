using System.Globalization;
using Npgsql;
using PgHa.Core.Backup;
using PgHa.Core.Verification;
using PgHa.Operations.Verification;
using PgHa.Testing;

namespace PgHa.Integration.Tests;

/// <summary>
/// WAL archiving and point-in-time recovery with the settings Core generates, on a real loopback Patroni cluster.
/// A local directory stands in for the bucket (the pods' archive command is WAL-G's; everything else is the same).
/// </summary>
public sealed class BackupTests(ITestOutputHelper output)
{
    private const int ArchiveTimeoutSeconds = 30;

    private Task<PatroniCluster> StartAsync() => PatroniCluster.StartAsync(
        LoopbackSettings.WithBackups(("pgha:archiveTimeoutSeconds", ArchiveTimeoutSeconds.ToString(CultureInfo.InvariantCulture))),
        log: output.WriteLine);

    private async Task<VerificationReport> VerifyAsync(PatroniCluster cluster, TimeSpan timeout)
    {
        var endpoints = cluster.Members.Select(m => new MemberEndpoint(m.Name, "127.0.0.1", m.PostgresPort)).ToArray();
        var expectations = new VerificationExpectations(cluster.Members.Count, cluster.Settings.Patroni.ReadinessMaxLagBytes, timeout,
            TimeSpan.FromSeconds(1), Archiving: true);
        var verifier = VerifierFactory.Create(new VerifierCredentials("postgres", cluster.SuperuserPassword), connectTimeout: TimeSpan.FromSeconds(2));
        var report = await verifier.VerifyAsync(endpoints, expectations, output.WriteLine);
        output.WriteLine(report.Passed ? $"passed: {report.Archiver}" : report.FailureMessage());
        return report;
    }

    private static bool Archived(PatroniCluster cluster, string segment) => File.Exists(Path.Combine(cluster.ArchiveDirectory, segment));

    [Fact]
    public async Task Archive_timeout_ships_a_quiet_commit_and_the_verifier_reports_archiving_healthy()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("on", await leader.ScalarAsync<string>("SHOW archive_mode"));
        Assert.Equal($"{ArchiveTimeoutSeconds}s", await leader.ScalarAsync<string>("SHOW archive_timeout"));

        // No pg_switch_wal(): the segment holding this commit leaves the cluster because of archive_timeout alone.
        await leader.ExecuteAsync("CREATE TABLE rpo (id int PRIMARY KEY); INSERT INTO rpo VALUES (1)");
        var segment = await leader.ScalarAsync<string>("SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
        await Wait.UntilTrueAsync($"segment {segment} with the commit to be archived by archive_timeout ({ArchiveTimeoutSeconds}s)",
            TimeSpan.FromSeconds(ArchiveTimeoutSeconds * 3), () => Task.FromResult(Archived(cluster, segment)), output.WriteLine);

        var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(30));
        Assert.True(report.Passed, report.FailureMessage());
        Assert.True(report.Archiver!.ArchivedCount > 0);
        Assert.Equal(0, report.Archiver.FailedCount);
    }

    [Fact]
    public async Task A_failing_archive_command_is_reported_unhealthy_and_recovers_when_the_store_is_back()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        Assert.True((await VerifyAsync(cluster, TimeSpan.FromSeconds(60))).Passed);

        // The store refuses writes: the archive command (cp into it) fails.
        var writable = File.GetUnixFileMode(cluster.ArchiveDirectory);
        File.SetUnixFileMode(cluster.ArchiveDirectory, writable & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        try
        {
            await leader.ExecuteAsync("CREATE TABLE outage (id int); INSERT INTO outage VALUES (1); SELECT pg_switch_wal()");
            await Wait.UntilTrueAsync("pg_stat_archiver to record a failure newer than the last success", TimeSpan.FromSeconds(30), async () =>
                await leader.ScalarAsync<bool>(
                    "SELECT failed_count > 0 AND last_failed_time > coalesce(last_archived_time, '-infinity') FROM pg_stat_archiver"),
                output.WriteLine);

            var report = await VerifyAsync(cluster, TimeSpan.FromSeconds(2));
            var failure = Assert.Single(report.Failures);
            Assert.Equal($"WAL archiving on {leader.Name}", failure.Name);
            Assert.Contains("failed ", failure.Observed, StringComparison.Ordinal);
        }
        finally
        {
            File.SetUnixFileMode(cluster.ArchiveDirectory, writable);
        }

        // PostgreSQL retries the segment; a new switch wakes the archiver instead of waiting out its back-off.
        await leader.ExecuteAsync("INSERT INTO outage VALUES (2); SELECT pg_switch_wal()");
        var recovered = await VerifyAsync(cluster, TimeSpan.FromSeconds(90));
        Assert.True(recovered.Passed, recovered.FailureMessage());
    }

    [Fact]
    public async Task Recovery_to_a_time_between_two_writes_keeps_the_first_and_not_the_second()
    {
        await using var cluster = await StartAsync();
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        await leader.ExecuteAsync("CREATE TABLE notes (id int PRIMARY KEY, note text NOT NULL)");

        // The base backup, taken the way WAL-G's backup-push takes it; the WAL comes from the archive.
        var restore = HarnessRun.Current.CreateDirectory("restore-", forPostgres: true);
        LoopbackPostgres? restored = null;
        try
        {
            await NonExclusiveBaseBackupAsync(leader, Path.Combine(restore, "data"));

            await leader.ExecuteAsync("INSERT INTO notes VALUES (1, 'first')");
            var target = await leader.ScalarAsync<DateTime>("SELECT clock_timestamp()");
            await leader.ExecuteAsync("INSERT INTO notes VALUES (2, 'second')");
            var last = await leader.ScalarAsync<string>("SELECT pg_walfile_name(pg_switch_wal())");
            await Wait.UntilTrueAsync($"segment {last} with the second write to be archived", TimeSpan.FromSeconds(60),
                () => Task.FromResult(Archived(cluster, last)), output.WriteLine);

            // The restore as a stack configures it (pgha:restoreTargetTime), through the CLONE_* environment the pods
            // get, turned into recovery settings the way Spilo's clone bootstrap does, reading the local archive.
            var configured = new DateTimeOffset(DateTime.SpecifyKind(target, DateTimeKind.Utc)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffK", CultureInfo.InvariantCulture);
            var restoreSettings = LoopbackSettings.WithBackups(("pgha:clusterName", "notes-restored"), ("pgha:restoreFromCluster", "loopback"),
                ("pgha:restoreTargetTime", configured));
            var podEnvironment = WalGEnvironment.Build(restoreSettings, new BackupTarget("loopback-archive", KmsKeyArn: null, RoleArn: null));
            var recovery = SpiloCloneRecovery.Settings(podEnvironment, SpiloCloneRecovery.CopyFromDirectoryCommand(cluster.ArchiveDirectory));
            var targetTime = recovery["recovery_target_time"];
            await File.AppendAllTextAsync(Path.Combine(restore, "data", "postgresql.auto.conf"), SpiloCloneRecovery.ToConfLines(recovery));
            await File.WriteAllTextAsync(Path.Combine(restore, "data", "recovery.signal"), string.Empty);
            if (OsProcess.IsRoot)
            {
                await OsProcess.RunAsync("chown", ["-R", "postgres:postgres", restore]);
            }

            output.WriteLine($"recovering to {targetTime}");
            // Not archiving into the source's archive (a clone archives into its own prefix).
            restored = await LoopbackPostgres.StartExistingAsync(restore, cluster.SuperuserPassword, ["archive_mode=off"], output.WriteLine);
            await Wait.UntilTrueAsync("the restored server to reach the target and promote", TimeSpan.FromSeconds(60),
                async () => !await restored.ScalarAsync<bool>("SELECT pg_is_in_recovery()"), output.WriteLine);

            var notes = new List<string>();
            await using (var connection = new NpgsqlConnection(restored.ConnectionString()))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT note FROM notes ORDER BY id", connection);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    notes.Add(reader.GetString(0));
                }
            }

            Assert.Equal(["first"], notes);
            // A new timeline: the clone diverged from the source (timeline 1) at the target.
            Assert.Equal("00000002", await restored.ScalarAsync<string>("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)"));
        }
        finally
        {
            if (restored is not null)
            {
                await restored.DisposeAsync();
            }
            else
            {
                Directory.Delete(restore, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_scheduled_backup_runs_on_the_first_healthy_replica_only_and_on_the_leader_when_no_replica_is_healthy()
    {
        // The REST API as in the pods: HTTPS with the cluster's certificate, which the script verifies against the CA.
        await using var cluster = await PatroniCluster.StartAsync(LoopbackSettings.Load(), log: output.WriteLine,
            options: new LoopbackClusterOptions { RestApiTls = true });
        var leader = await cluster.WaitForHealthyAsync(TimeSpan.FromSeconds(30));
        var replicas = cluster.Members.Where(m => m != leader).OrderBy(m => m.Name, StringComparer.Ordinal).ToArray();
        var script = Path.Combine(cluster.Directory, BackupElection.ScriptFile);
        await File.WriteAllTextAsync(script, BackupElection.Script);
        // Stands in for Spilo's postgres_backup.sh: records who ran it, how, and on which data directory.
        var ran = Path.Combine(cluster.Directory, "backups-ran.log");
        var backup = Path.Combine(cluster.Directory, "fake_backup.sh");
        await File.WriteAllTextAsync(backup, $"#!/bin/sh\necho \"$PGHA_MEMBER_NAME $WALG_BACKUP_FROM_REPLICA $1\" >> '{ran}'\n");
        File.SetUnixFileMode(backup, (UnixFileMode)0b111_101_101);

        // Every running pod's cron fires at once; each asks its own Patroni.
        async Task<string[]> ScheduleFiresAsync(string from)
        {
            File.Delete(ran);
            foreach (var member in cluster.Members.Where(m => m.IsRunning))
            {
                var (code, text) = await RunPythonAsync(script, "/data", new Dictionary<string, string>
                {
                    ["PGHA_MEMBER_NAME"] = member.Name,
                    ["PGHA_PATRONI_API"] = member.RestApi.ToString().TrimEnd('/'),
                    ["PGHA_PATRONI_CA"] = cluster.Certificates!.CaFile,
                    ["PGHA_BACKUP_COMMAND"] = backup,
                    ["PGHA_BACKUP_FROM"] = from,
                });
                output.WriteLine($"{member.Name}: exit {code}: {text.Trim()}");
                Assert.Equal(0, code);
            }

            return File.Exists(ran) ? await File.ReadAllLinesAsync(ran) : [];
        }

        Assert.Equal([$"{replicas[0].Name} true /data"], await ScheduleFiresAsync("replica"));
        Assert.Equal([$"{leader.Name} false /data"], await ScheduleFiresAsync("leader"));

        foreach (var replica in replicas)
        {
            await replica.CrashAsync();
        }

        await Wait.UntilTrueAsync("Patroni to list no healthy replica", TimeSpan.FromSeconds(90), async () =>
        {
            var (_, body) = await leader.GetAsync("/cluster");
            var healthy = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("members").EnumerateArray()
                .Where(m => m.GetProperty("role").GetString() is "replica" or "sync_standby"
                    && m.GetProperty("state").GetString() is "running" or "streaming")
                .Select(m => m.GetProperty("name").GetString())
                .ToArray();
            return healthy.Length == 0 ? true : throw new NotYetException($"healthy replicas: {string.Join(", ", healthy)}");
        }, output.WriteLine);
        // No healthy replica: the leader takes the backup rather than nobody.
        Assert.Equal([$"{leader.Name} false /data"], await ScheduleFiresAsync("replica"));
    }

    private static async Task<(int Code, string Output)> RunPythonAsync(string script, string argument, IReadOnlyDictionary<string, string> env)
    {
        var info = new System.Diagnostics.ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(argument);
        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {script} did not finish within 30s");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>
    /// A non-exclusive base backup (what WAL-G's backup-push does): pg_backup_start, copy the data directory without
    /// WAL and runtime files, pg_backup_stop (which waits until the WAL the backup needs is archived), backup_label.
    /// </summary>
    private static async Task NonExclusiveBaseBackupAsync(PatroniMember primary, string target)
    {
        await using var session = await primary.OpenAsync(timeoutSeconds: 10);
        await using (var start = new NpgsqlCommand("SELECT pg_backup_start('pgha-pitr-test', true)", session))
        {
            await start.ExecuteScalarAsync();
        }

        Directory.CreateDirectory(target);
        // Files may come and go while copying (that is what the WAL replay repairs): tar must not stop for that.
        await OsProcess.RunAsync("/bin/sh", ["-c",
            "tar -C \"$0\" --exclude=./pg_wal/* --exclude=./postmaster.pid --exclude=./postmaster.opts --exclude=./pg_replslot/* " +
            "--warning=no-file-changed --warning=no-file-removed --ignore-failed-read -cf - . | tar -C \"$1\" -xf -; exit 0",
            primary.DataDirectory, target], TimeSpan.FromSeconds(120));
        Directory.CreateDirectory(Path.Combine(target, "pg_wal"));

        await using var stop = new NpgsqlCommand("SELECT labelfile FROM pg_backup_stop(true)", session) { CommandTimeout = 120 };
        var label = (string)(await stop.ExecuteScalarAsync())!;
        await File.WriteAllTextAsync(Path.Combine(target, "backup_label"), label);
    }
}
