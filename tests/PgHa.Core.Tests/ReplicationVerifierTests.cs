using PgHa.Core.Verification;

namespace PgHa.Core.Tests;

/// <summary>The verifier's checks on given observations (the real-process tests run it against live clusters).</summary>
public class ReplicationVerifierTests
{
    private static readonly VerificationExpectations Expect = new(3, 16 * 1024 * 1024, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10));
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static MemberObservation Primary(string name = "db-0", int timeline = 2, long lag = 0, string walStatus = "reserved", bool active = true,
        params string[] replicas) =>
        new(name, null, false, timeline,
            (replicas.Length == 0 ? ["db-1", "db-2"] : replicas).Select(r => new ReplicationRow(r, "streaming", lag)).ToArray(),
            (replicas.Length == 0 ? ["db-1", "db-2"] : replicas).Select(r => new SlotRow(r.Replace('-', '_'), active, walStatus)).ToArray());

    private static MemberObservation Replica(string name, int timeline = 2) => new(name, null, true, timeline, [], []);

    private static VerificationReport Evaluate(params MemberObservation[] observations) =>
        ReplicationVerifier.Evaluate(observations, Expect, null, Now, 1);

    [Fact]
    public void Healthy_cluster_passes_and_reports_primary_replicas_and_timeline()
    {
        var report = Evaluate(Primary(), Replica("db-1"), Replica("db-2"));
        Assert.True(report.Passed, report.FailureMessage());
        Assert.Equal("db-0", report.Primary);
        Assert.Equal(2, report.Timeline);
        Assert.Equal(["db-1", "db-2"], report.Replicas.Select(r => r.Name));
        Assert.All(report.Replicas, r => Assert.Equal("streaming", r.State));
        Assert.Equal(["db_1", "db_2"], report.Replicas.Select(r => r.Slot));
    }

    [Fact]
    public void Two_primaries_are_a_split_brain_naming_both()
    {
        var report = Evaluate(Primary(), Primary("db-1"), Replica("db-2"));
        var failure = Assert.Single(report.Failures);
        Assert.Equal("exactly one primary", failure.Name);
        Assert.Contains("split brain: db-0 and db-1", failure.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_replica_fails_reachability_and_streaming()
    {
        var report = Evaluate(Primary(replicas: ["db-1"]), Replica("db-1"), MemberObservation.Unreachable("db-2", "connection refused"));
        Assert.Contains(report.Failures, f => f.Name == "members reachable" && f.Observed.Contains("db-2: connection refused", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Name == "db-2 streams from db-0" && f.Observed.Contains("unreachable", StringComparison.Ordinal));
        Assert.Contains(report.Failures, f => f.Name == "slot db_2 on db-0" && f.Observed == "missing");
    }

    [Fact]
    public void Lost_or_inactive_slot_fails_with_its_state()
    {
        var lost = Evaluate(Primary(walStatus: "lost"), Replica("db-1"), Replica("db-2"));
        Assert.Contains(lost.Failures, f => f.Name == "slot db_1 on db-0" && f.Observed == "active=true, wal_status=lost");
        var unreserved = Evaluate(Primary(walStatus: "unreserved", active: false), Replica("db-1"), Replica("db-2"));
        Assert.Contains(unreserved.Failures, f => f.Observed == "active=false, wal_status=unreserved");
    }

    [Fact]
    public void Lag_above_the_threshold_fails_with_observed_and_expected_bytes()
    {
        var report = Evaluate(Primary(lag: 20 * 1024 * 1024), Replica("db-1"), Replica("db-2"));
        var failure = report.Failures.First(f => f.Name == "db-1 replay lag");
        Assert.Equal("at most 16777216 bytes", failure.Expected);
        Assert.Equal("20971520 bytes", failure.Observed);
    }

    [Fact]
    public void Replica_on_another_timeline_fails()
    {
        var report = Evaluate(Primary(), Replica("db-1", timeline: 1), Replica("db-2"));
        var failure = Assert.Single(report.Failures);
        Assert.Equal("db-1 timeline", failure.Name);
        Assert.Equal("timeline 2", failure.Expected);
    }

    [Fact]
    public void Service_endpoints_must_be_the_primary_and_the_replicas()
    {
        var observations = new[] { Primary(), Replica("db-1"), Replica("db-2") };
        var right = ReplicationVerifier.Evaluate(observations, Expect, new ServiceEndpoints(["db-0"], ["db-2", "db-1"]), Now, 1);
        Assert.True(right.Passed, right.FailureMessage());
        var wrong = ReplicationVerifier.Evaluate(observations, Expect, new ServiceEndpoints(["db-1"], ["db-2"]), Now, 1);
        Assert.Contains(wrong.Failures, f => f.Name == "read-write Service endpoints" && f.Observed == "db-1" && f.Expected == "db-0");
        Assert.Contains(wrong.Failures, f => f.Name == "read-only Service endpoints" && f.Expected == "db-1, db-2");
    }

    [Fact]
    public void Failure_message_lists_every_failed_check()
    {
        var report = Evaluate(Primary(lag: 20 * 1024 * 1024, walStatus: "lost"), Replica("db-1"), Replica("db-2"));
        var message = report.FailureMessage();
        Assert.Equal(4, report.Failures.Count);
        Assert.All(report.Failures, f => Assert.Contains(f.ToString(), message, StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_never_print_their_password() =>
        Assert.Equal("postgres/***", new VerifierCredentials("postgres", "hunter2-secret").ToString());

    [Fact]
    public async Task Verify_retries_until_healthy_then_stops()
    {
        var calls = 0;
        var probe = new ScriptedProbe(name =>
        {
            Interlocked.Increment(ref calls);
            // The second replica joins on the third attempt.
            return name switch
            {
                "db-0" => calls <= 6 ? Primary(replicas: ["db-1"]) : Primary(),
                "db-1" => Replica("db-1"),
                _ => calls <= 6 ? MemberObservation.Unreachable(name, "starting") : Replica(name),
            };
        });
        var members = new[] { new MemberEndpoint("db-0", "h", 1), new MemberEndpoint("db-1", "h", 1), new MemberEndpoint("db-2", "h", 1) };
        var progress = new List<string>();
        var report = await new ReplicationVerifier(probe).VerifyAsync(members, Expect with { Timeout = TimeSpan.FromSeconds(10) }, progress.Add);
        Assert.True(report.Passed, report.FailureMessage());
        Assert.Equal(3, report.Attempts);
        Assert.Equal(2, progress.Count);
    }

    [Fact]
    public async Task Verify_gives_up_at_the_timeout_with_the_last_report()
    {
        var probe = new ScriptedProbe(name => name == "db-0" ? Primary(replicas: ["db-1"]) : Replica(name));
        var members = new[] { new MemberEndpoint("db-0", "h", 1), new MemberEndpoint("db-1", "h", 1), new MemberEndpoint("db-2", "h", 1) };
        // The verifier's own clock: only its waits move it, so the count of attempts does not depend on this machine's speed.
        var time = new SteppingTimeProvider(Now);
        var report = await new ReplicationVerifier(probe, time: time).VerifyAsync(members, Expect with { Timeout = TimeSpan.FromMilliseconds(200) });
        Assert.False(report.Passed);
        // An attempt every 10 ms from 0 to 200 ms; none after, since it would end beyond the timeout.
        Assert.Equal(21, report.Attempts);
        Assert.Equal(Now.AddMilliseconds(200), report.CheckedAt);
        Assert.Contains(report.Failures, f => f.Name == "db-2 streams from db-0");
    }

    private sealed class ScriptedProbe(Func<string, MemberObservation> observe) : IMemberProbe
    {
        public Task<MemberObservation> ObserveAsync(MemberEndpoint member, CancellationToken cancellationToken) => Task.FromResult(observe(member.Name));
    }

    private static readonly DateTimeOffset Earlier = Now.AddMinutes(-5);

    private static VerificationReport EvaluateArchiving(ArchiverRow? archiver) =>
        ReplicationVerifier.Evaluate([Primary() with { Archiver = archiver }, Replica("db-1"), Replica("db-2")], Expect with { Archiving = true }, null, Now, 1);

    [Fact]
    public void Archiving_that_succeeded_last_passes_and_is_reported()
    {
        var report = EvaluateArchiving(new ArchiverRow(12, "00000002000000000000000C", Now, 1, "000000020000000000000003", Earlier));
        Assert.True(report.Passed, report.FailureMessage());
        Assert.Equal(12, report.Archiver!.ArchivedCount);
    }

    [Fact]
    public void An_archive_failure_newer_than_the_last_success_fails_naming_the_segment()
    {
        var failure = Assert.Single(EvaluateArchiving(new ArchiverRow(12, "00000002000000000000000C", Earlier, 3, "00000002000000000000000D", Now)).Failures);
        Assert.Equal("WAL archiving on db-0", failure.Name);
        Assert.Contains("failed 3 (last 00000002000000000000000D", failure.Observed, StringComparison.Ordinal);
    }

    [Fact]
    public void No_wal_archived_yet_is_not_healthy()
    {
        Assert.False(EvaluateArchiving(new ArchiverRow(0, null, null, 0, null, null)).Passed);
        Assert.False(EvaluateArchiving(null).Passed);
    }

    [Fact]
    public void Archiving_is_not_checked_without_backups()
    {
        var report = ReplicationVerifier.Evaluate([Primary(), Replica("db-1"), Replica("db-2")], Expect, null, Now, 1);
        Assert.DoesNotContain(report.Checks, c => c.Name.StartsWith("WAL archiving", StringComparison.Ordinal));
    }
}
