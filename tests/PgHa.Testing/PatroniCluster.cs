using System.Security.Cryptography;
using Npgsql;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Operations.Patroni;

namespace PgHa.Testing;

/// <summary>
/// A real Patroni cluster on loopback: etcd and N members on free ports in a temporary directory, with the same
/// Patroni configuration the pods get. All on 127.0.0.1, or with <see cref="LoopbackClusterOptions.OwnAddresses"/>
/// each on an address of its own (<see cref="Addresses"/>). Every wait is bounded; disposing stops every process it
/// started.
/// </summary>
public sealed class PatroniCluster : IAsyncDisposable
{
    private readonly EtcdServer _etcd;
    private readonly Action<string>? _log;

    private readonly LoopbackClusterOptions _options;

    private PatroniCluster(string directory, string scope, PgHaSettings settings, EtcdServer etcd, IReadOnlyList<PatroniMember> members,
        string superuserPassword, string replicationPassword, string binDirectory, LoopbackClusterOptions options, Action<string>? log,
        LoopbackAddressBlock? addresses)
    {
        Addresses = addresses;
        SuperuserPassword = superuserPassword;
        ReplicationPassword = replicationPassword;
        _options = options;
        BinDirectory = binDirectory;
        Directory = directory;
        Scope = scope;
        Settings = settings;
        _etcd = etcd;
        Members = members;
        _log = log;
    }

    public string Directory { get; }

    /// <summary>Where WAL is archived when the settings turn backups on.</summary>
    public string ArchiveDirectory => Path.Combine(Directory, "archive");
    public string Scope { get; }
    public PgHaSettings Settings { get; }
    public IReadOnlyList<PatroniMember> Members { get; }
    public string EtcdHostPort => _etcd.HostPort;

    /// <summary>etcd's address (127.0.0.1 unless the cluster has addresses of its own).</summary>
    public string EtcdAddress => _etcd.Address;

    /// <summary>The cluster's own loopback block (with <see cref="LoopbackClusterOptions.OwnAddresses"/>), else null.</summary>
    public LoopbackAddressBlock? Addresses { get; }

    /// <summary>With <see cref="LoopbackClusterOptions.RestApiTls"/>: the CA and the members' and operator's certificates; else null.</summary>
    public LoopbackClusterCertificates? Certificates { get; private init; }

    /// <summary>What pgha would read from the operator's Secret (the CA and the operator's client certificate); null on plain HTTP.</summary>
    public PatroniApiCredentials? RestApiCredentials => Certificates?.Operator;

    /// <summary>The superuser password of this throwaway cluster (random per cluster) that test connections use.</summary>
    public string SuperuserPassword { get; private set; }

    /// <summary>The replication role's password the members' configuration holds (random per cluster until rewritten).</summary>
    public string ReplicationPassword { get; private set; }

    /// <summary>
    /// Rewrites <paramref name="member"/>'s Patroni configuration from <paramref name="settings"/> and the replication
    /// and superuser passwords (default: the one test connections use), as a pod recreated from a new template and
    /// Secrets would get them; Patroni reads it at its next start.
    /// </summary>
    public async Task WriteMemberConfigurationAsync(PatroniMember member, PgHaSettings settings, string replicationPassword, string? superuserPassword = null)
    {
        var config = LocalPatroniConfig.Build(settings, Scope, EtcdHostPort, member, BinDirectory, Path.Combine(Directory, "server.crt"),
            Path.Combine(Directory, "server.key"), superuserPassword ?? SuperuserPassword, replicationPassword, ArchiveDirectory, _options.ReplicationUsername, Certificates?.CaFile);
        // The file exists (owned by postgres, mode 0600): rewriting it keeps both.
        await File.WriteAllTextAsync(member.ConfigPath, PatroniConfig.ToYaml(config)).ConfigureAwait(false);
        ReplicationPassword = replicationPassword;
    }

    /// <summary>Test connections to every member use <paramref name="password"/> from now on (the role's password after a rotation).</summary>
    public void UseSuperuserPassword(string password)
    {
        SuperuserPassword = password;
        foreach (var member in Members)
        {
            member.UseSuperuserPassword(password);
        }
    }

    /// <summary>How long a bootstrap may take: initdb, then a base backup per replica, on a slow 2-core machine.</summary>
    public static readonly TimeSpan BootstrapTimeout = TimeSpan.FromSeconds(120);

    public PatroniMember Member(string name) => Members.Single(m => m.Name == name);

    /// <summary>The PostgreSQL server binaries installed here (the newest major).</summary>
    public static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var bin = System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "No PostgreSQL server under /usr/lib/postgresql/<major>/bin: install the Debian package postgresql-15 (scripts/test.sh does).");
    }

    /// <summary>
    /// Starts etcd and <paramref name="memberCount"/> members in a new directory of this process's
    /// <see cref="HarnessRun"/> (never under the checkout or the working directory, which the postgres user may
    /// not be allowed to enter). Before anything starts: leftovers of dead earlier runs are stopped, and every path
    /// the postgres user will need is checked as that user (<see cref="HarnessPreflight"/>). Waits until the
    /// first member leads and the others stream; a wait that gives up shows the members' log tails.
    /// </summary>
    public static async Task<PatroniCluster> StartAsync(PgHaSettings settings, int memberCount = 3, Action<string>? log = null,
        LoopbackClusterOptions? options = null)
    {
        if (!OsProcess.IsRoot && Environment.UserName != "postgres")
        {
            throw new InvalidOperationException(
                "The Patroni harness runs PostgreSQL as the postgres OS user: run the tests as root (sudo) or as postgres.");
        }

        options ??= new LoopbackClusterOptions();
        var run = HarnessRun.Start(log);
        var binDirectory = options.BinDirectory ?? FindBinDirectory();
        var problems = new List<string>();
        var requirements = new List<PostgresAccess>();
        var tini = HarnessPreflight.Program("tini", "tini", requirements, problems);
        var patroni = HarnessPreflight.Program("patroni", "patroni", requirements, problems);
        // etcd runs as this process's user: only whether it is installed matters.
        var etcd = HarnessPreflight.Program("etcd", "etcd-server", [], problems);
        foreach (var program in new[] { "postgres", "pg_ctl", "initdb", "pg_basebackup", "pg_rewind" })
        {
            HarnessPreflight.AddExecutable(Path.Combine(binDirectory, program), $"PostgreSQL's {program}",
                $"install the Debian package postgresql-15 (scripts/test.sh does), or point the harness at a PostgreSQL bin directory postgres can use", requirements);
        }

        var directory = run.CreateDirectory("cluster-", forPostgres: false);
        var id = Path.GetFileName(directory)["cluster-".Length..];
        var scope = $"pgha-test-{id}";
        var addresses = options.OwnAddresses ? LoopbackAddressBlock.Claim(log) : null;
        log?.Invoke($"starting a {memberCount}-member Patroni cluster '{scope}' in {directory}{(addresses is null ? "" : $" on {addresses}")}");
        try
        {
            var superuserPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var replicationPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var certificate = Path.Combine(directory, "server.crt");
            var key = Path.Combine(directory, "server.key");
            var restApiCertificates = options.RestApiTls ? LoopbackClusterCertificates.Write(directory) : null;
            if (restApiCertificates is null)
            {
                SelfSignedCertificate.WritePem(certificate, key);
            }

            // With backups on, WAL is archived here (the bucket's stand-in on a test machine).
            var archiveDirectory = Path.Combine(directory, "archive");
            if (settings.Backup is not null)
            {
                System.IO.Directory.CreateDirectory(archiveDirectory);
            }

            var ports = FreePorts.Take((memberCount * 2) + 2);
            var etcdAddress = addresses?.Etcd.ToString() ?? "127.0.0.1";
            (int Client, int Peer) etcdPorts = addresses is null ? (ports[^2], ports[^1]) : TakeTwo(addresses.Etcd);
            var etcdHostPort = $"{etcdAddress}:{etcdPorts.Client}";
            var members = new List<PatroniMember>();
            for (var i = 0; i < memberCount; i++)
            {
                // With addresses of its own, a member listens on its address and its processes connect from it.
                var address = addresses?.Member(i);
                var (postgresPort, restPort) = address is null ? (ports[2 * i], ports[(2 * i) + 1]) : TakeTwo(address);
                var environment = address is null ? null : await SourceAddressBinding.EnvironmentAsync(address).ConfigureAwait(false);
                // Named like the pods; Patroni's slot for "pg-1" is "pg_1", as for pod "<name>-1".
                var member = new PatroniMember($"pg-{i}", Path.Combine(directory, $"pg-{i}"), postgresPort, restPort, superuserPassword,
                    tini, patroni, log, address?.ToString() ?? "127.0.0.1", environment, restApiCertificates?.Operator);
                System.IO.Directory.CreateDirectory(member.Directory);
                var config = LocalPatroniConfig.Build(settings, scope, etcdHostPort, member, binDirectory, certificate, key,
                    superuserPassword, replicationPassword, archiveDirectory, options.ReplicationUsername, restApiCertificates?.CaFile);
                await File.WriteAllTextAsync(member.ConfigPath, PatroniConfig.ToYaml(config)).ConfigureAwait(false);
                File.SetUnixFileMode(member.ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                members.Add(member);
            }

            HarnessRun.GiveToPostgres(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);

            requirements.Add(PostgresAccess.Enterable(directory, "the cluster's directory", HarnessPreflight.RootFix));
            requirements.Add(PostgresAccess.Readable(certificate, "the members' TLS certificate", HarnessPreflight.RootFix));
            requirements.Add(PostgresAccess.Readable(key, "the members' TLS key", HarnessPreflight.RootFix));
            if (restApiCertificates is not null)
            {
                requirements.Add(PostgresAccess.Readable(restApiCertificates.CaFile, "the cluster's CA (client certificates on the REST API)", HarnessPreflight.RootFix));
            }
            if (settings.Backup is not null)
            {
                requirements.Add(PostgresAccess.Writable(archiveDirectory, "the WAL archive", HarnessPreflight.RootFix));
            }

            if (addresses is not null)
            {
                requirements.Add(PostgresAccess.Readable(await SourceAddressBinding.LibraryAsync().ConfigureAwait(false),
                    "the shim that binds each member's connections to its own address", HarnessPreflight.RootFix));
            }

            foreach (var member in members)
            {
                requirements.Add(PostgresAccess.Writable(member.Directory, $"{member.Name}'s directory: working directory, data, logs, socket", HarnessPreflight.RootFix));
                requirements.Add(PostgresAccess.Readable(member.ConfigPath, $"{member.Name}'s Patroni configuration", HarnessPreflight.RootFix));
            }

            await HarnessPreflight.CheckAsync(requirements, problems).ConfigureAwait(false);
            var etcdServer = await EtcdServer.StartAsync(Path.Combine(directory, "etcd"), log, TimeSpan.FromSeconds(30), etcd, etcdPorts, etcdAddress)
                .ConfigureAwait(false);
            var cluster = new PatroniCluster(directory, scope, settings, etcdServer, members, superuserPassword, replicationPassword, binDirectory, options, log,
                addresses) { Certificates = restApiCertificates };
            try
            {
                // The first member bootstraps (initdb); the others clone from it once it leads.
                if (options.BeforeFirstStart is { } prepare)
                {
                    await prepare(members[0]).ConfigureAwait(false);
                }

                members[0].Start();
                await cluster.WaitForLeaderAsync("the first member to bootstrap and take the leader lock", BootstrapTimeout).ConfigureAwait(false);
                foreach (var member in members.Skip(1))
                {
                    if (options.BeforeFirstStart is { } prepareReplica)
                    {
                        await prepareReplica(member).ConfigureAwait(false);
                    }

                    member.Start();
                }

                await cluster.WaitForHealthyAsync(BootstrapTimeout).ConfigureAwait(false);
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
        catch (Exception) when (System.IO.Directory.Exists(directory) && !HarnessRun.KeepDirectories)
        {
            // Nothing started yet, or the cluster disposed itself (and its directory) already.
            addresses?.Dispose();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        catch
        {
            addresses?.Dispose();
            throw;
        }
    }

    /// <summary>Two free ports on one loopback address.</summary>
    private static (int, int) TakeTwo(System.Net.IPAddress address)
    {
        var two = FreePorts.Take(2, address);
        return (two[0], two[1]);
    }

    /// <summary>
    /// The cluster as any running member's REST API sees it (or only those of <paramref name="askFrom"/>: during a
    /// partition, a cut-off member answers with its own stale view), or null when none answers.
    /// </summary>
    public async Task<PatroniClusterView?> GetStatusAsync(IEnumerable<PatroniMember>? askFrom = null)
    {
        foreach (var member in (askFrom ?? Members).Where(m => m.IsRunning))
        {
            var (status, body) = await member.GetAsync("/cluster").ConfigureAwait(false);
            if (status == System.Net.HttpStatusCode.OK)
            {
                return PatroniClusterView.Parse(body);
            }
        }

        return null;
    }

    /// <summary>The member that holds the leader lock and accepts writes.</summary>
    public Task<PatroniMember> WaitForLeaderAsync(string what, TimeSpan timeout, PatroniMember? other = null, IReadOnlyCollection<PatroniMember>? askFrom = null) =>
        WithLogTailsAsync(() => Wait.UntilAsync(what, timeout, async () =>
        {
            ThrowIfAnyMemberDied();
            var status = await GetStatusAsync(askFrom).ConfigureAwait(false) ?? throw new NotYetException("no member's REST API answers");
            var leader = status.Leaders.Count == 1 ? status.Leaders[0] : throw new NotYetException($"cluster: {status}");
            if (other is not null && leader.Name == other.Name)
            {
                throw new NotYetException($"{other.Name} still leads: {status}");
            }

            var member = Member(leader.Name);
            return await member.ScalarAsync<bool>("SELECT NOT pg_is_in_recovery()").ConfigureAwait(false)
                ? member
                : throw new NotYetException($"{member.Name} holds the lock but is still in recovery");
        }, _log));

    /// <summary>
    /// Runs a bounded wait on the members; when it gives up, its message ends with the last lines of the Patroni and
    /// PostgreSQL logs of every member started so far, so the cause is in the message, not in a temp directory.
    /// </summary>
    private async Task<T> WithLogTailsAsync<T>(Func<Task<T>> wait)
    {
        try
        {
            return await wait().ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + MemberLogTails(), e);
        }
    }

    private Task WithLogTailsAsync(Func<Task> wait) => WithLogTailsAsync(async () =>
    {
        await wait().ConfigureAwait(false);
        return true;
    });

    /// <summary>The Patroni and PostgreSQL log tails of every member started so far.</summary>
    public string MemberLogTails() => string.Concat(Members.Where(m => m.WasStarted).Select(m => m.LogTails()));

    private void ThrowIfAnyMemberDied()
    {
        foreach (var member in Members)
        {
            member.ThrowIfDiedUnexpectedly();
        }
    }

    /// <summary>Members streaming from <paramref name="leader"/>: application_name → (state, sync_state).</summary>
    public static async Task<IReadOnlyDictionary<string, (string State, string SyncState)>> ReplicationAsync(PatroniMember leader)
    {
        await using var connection = await leader.OpenAsync().ConfigureAwait(false);
        // Filtered to the members: pg_basebackup's own walsender also shows up here while a replica bootstraps.
        await using var command = new NpgsqlCommand(
            "SELECT application_name, state, sync_state FROM pg_stat_replication WHERE application_name LIKE 'pg-%'", connection);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        var result = new Dictionary<string, (string, string)>();
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            result[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return result;
    }

    /// <summary>Waits until every member but the leader streams from it; returns the leader.</summary>
    public async Task<PatroniMember> WaitForHealthyAsync(TimeSpan timeout)
    {
        var leader = await WaitForLeaderAsync("a leader that accepts writes", timeout).ConfigureAwait(false);
        var others = Members.Where(m => m != leader).Select(m => m.Name).ToArray();
        await WaitForStreamingAsync(leader, others, timeout).ConfigureAwait(false);
        return leader;
    }

    public Task WaitForStreamingAsync(PatroniMember leader, IReadOnlyCollection<string> replicas, TimeSpan timeout) => WithLogTailsAsync(() =>
        Wait.UntilTrueAsync($"{string.Join(", ", replicas)} to stream from {leader.Name}", timeout, async () =>
        {
            ThrowIfAnyMemberDied();
            var replication = await ReplicationAsync(leader).ConfigureAwait(false);
            return replicas.All(r => replication.TryGetValue(r, out var s) && s.State == "streaming")
                ? true
                : throw new NotYetException("pg_stat_replication: " + string.Join(", ", replication.Select(kv => $"{kv.Key}={kv.Value.State}")));
        }, _log));

    /// <summary>
    /// Polls the candidates with an INSERT until one commits it: the moment the cluster is writable again.
    /// Returns that member and the time since <paramref name="since"/>.
    /// </summary>
    public async Task<(PatroniMember Member, TimeSpan Elapsed)> WaitForFirstWriteAsync(IEnumerable<PatroniMember> candidates, string table, long id,
        System.Diagnostics.Stopwatch since, TimeSpan timeout)
    {
        var list = candidates.ToArray();
        var (member, elapsed) = await WithLogTailsAsync(() => Wait.UntilAsync($"a write to succeed on one of {string.Join(", ", list.Select(m => m.Name))}", timeout, async () =>
        {
            foreach (var member in list)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(member.ConnectionString(timeoutSeconds: 1));
                    await connection.OpenAsync().ConfigureAwait(false);
                    await using var command = new NpgsqlCommand($"INSERT INTO {table} (id) VALUES ({id})", connection) { CommandTimeout = 2 };
                    await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                    return Tuple.Create(member, since.Elapsed);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // Not writable yet (down, read-only, or still promoting): try the next one.
                }
            }

            return null;
        }, _log)).ConfigureAwait(false);
        return (member, elapsed);
    }

    /// <summary>
    /// Maintenance mode on or off (what `patronictl pause/resume` does): while paused Patroni neither fails over
    /// nor restarts a stopped PostgreSQL, but keeps every member, and so its slot, in the cluster.
    /// </summary>
    public async Task SetPausedAsync(PatroniMember leader, bool paused)
    {
        var (status, body) = await leader.PatchAsync("/config", $$"""{"pause": {{(paused ? "true" : "false")}}}""").ConfigureAwait(false);
        if ((int)status != 200)
        {
            throw new InvalidOperationException($"setting pause={paused} refused ({(int)status}): {body}");
        }

        await WithLogTailsAsync(() => Wait.UntilTrueAsync($"every running member to report pause={paused}", TimeSpan.FromSeconds(30), async () =>
        {
            foreach (var member in Members.Where(m => m.IsRunning))
            {
                var (code, patroni) = await member.GetAsync("/patroni").ConfigureAwait(false);
                var reportsPaused = patroni.Contains("\"pause\": true", StringComparison.Ordinal);
                if ((int)code != 200 || reportsPaused != paused)
                {
                    throw new NotYetException($"{member.Name}: {(int)code} {patroni}");
                }
            }

            return true;
        }, _log)).ConfigureAwait(false);
    }

    /// <summary>The PostgreSQL server binaries the members run.</summary>
    public string BinDirectory { get; }

    /// <summary>
    /// The synchronous standby, once Patroni has one in place (role sync_standby and sync_state = sync on the
    /// leader). Patroni refuses to fail over or switch over to another member while it moves.
    /// </summary>
    public Task<PatroniMember> WaitForSyncStandbyAsync(PatroniMember leader, TimeSpan timeout) => WithLogTailsAsync(() =>
        Wait.UntilAsync("a synchronous standby (Patroni role sync_standby, sync_state = sync)", timeout, async () =>
        {
            var status = await GetStatusAsync().ConfigureAwait(false);
            var replication = await ReplicationAsync(leader).ConfigureAwait(false);
            var standby = status?.Members.FirstOrDefault(m => m.IsSyncStandby && replication.TryGetValue(m.Name, out var r) && r.SyncState == "sync");
            return standby is null ? throw new NotYetException($"cluster: {status}") : Member(standby.Name);
        }, _log));

    /// <summary>A planned switchover through the leader's REST API (what `patronictl switchover` does).</summary>
    public async Task SwitchoverAsync(PatroniMember leader, PatroniMember candidate)
    {
        var (status, body) = await leader.PostAsync("/switchover",
            $$"""{"leader":"{{leader.Name}}","candidate":"{{candidate.Name}}"}""").ConfigureAwait(false);
        if ((int)status != 200)
        {
            throw new InvalidOperationException($"switchover {leader.Name} -> {candidate.Name} refused ({(int)status}): {body}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            try
            {
                await member.CrashAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // teardown goes on for the other processes whatever one of them does
            catch (Exception e)
#pragma warning restore CA1031
            {
                _log?.Invoke($"teardown of {member.Name} failed: {e.Message}");
            }
        }

        await _etcd.DisposeAsync().ConfigureAwait(false);
        Addresses?.Dispose();
        if (Environment.GetEnvironmentVariable("PGHA_KEEP_TEST_DIRS") == "1")
        {
            _log?.Invoke($"kept {Directory} (PGHA_KEEP_TEST_DIRS=1)");
        }
        else
        {
            try
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException e)
            {
                _log?.Invoke($"could not delete {Directory}: {e.Message}");
            }
        }
    }
}
