using System.Net;
using System.Net.Sockets;
using PgHa.Testing;

namespace PgHa.Faults.Tests;

/// <summary>
/// The fault harness's own promises, without a cluster: only own loopback addresses are ever cut, a cut heals on every
/// exit path, leftovers of dead runs are removed and unknown ones stop the suite, a process preloaded with the shim
/// connects from its own address, and the loss check names exactly what is lost.
/// </summary>
public sealed class HarnessSafetyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("127.100.7.10", true)]
    [InlineData("127.255.255.254", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.53", false)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.168.1.20", false)]
    [InlineData("128.0.0.1", false)]
    [InlineData("::1", false)]
    public void Only_loopback_addresses_outside_the_shared_127_0_0_block_are_usable(string address, bool usable)
    {
        Assert.Equal(usable, LoopbackAddress.IsOwnLoopback(IPAddress.Parse(address)));
        if (!usable)
        {
            var e = Assert.Throws<ArgumentException>(() => LoopbackAddress.Require(address, "a test address"));
            Assert.Contains(address, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_cutter_refuses_an_address_outside_loopback_before_anything_reaches_nftables()
    {
        await using var cutter = await LinkCutter.CreateAsync(output.WriteLine);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => cutter.CutAsync(IPAddress.Parse("127.100.1.10"), IPAddress.Parse("10.1.2.3")));
        Assert.Contains("10.1.2.3", e.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => cutter.CutAsync(IPAddress.Parse("127.0.0.1"), IPAddress.Parse("127.100.1.10")));
        Assert.Empty(cutter.Cuts);
        var set = await OsProcess.RunAsync("nft", ["list", "set", "inet", cutter.Table, "cut"]);
        Assert.DoesNotContain("elements", set, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cut_heals_when_the_test_fails_inside_it()
    {
        using var block = LoopbackAddressBlock.Claim(output.WriteLine);
        using var listener = new TcpListener(block.Member(0), 0);
        listener.Start();
        var target = (IPEndPoint)listener.LocalEndpoint;
        string? table = null;

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var cutter = await LinkCutter.CreateAsync(output.WriteLine);
            table = cutter.Table;
            await cutter.CutAsync(block.Client(0), block.Member(0));
            Assert.False(await CanConnectAsync(block.Client(0), target), "the cut must stop the connection");
            throw new InvalidOperationException("an assertion failed in the middle of a fault");
        });

        Assert.Equal("an assertion failed in the middle of a fault", failure.Message);
        Assert.DoesNotContain(table!, await LinkCutter.ListTablesAsync());
        Assert.True(await CanConnectAsync(block.Client(0), target), "after the failed test the link must work again");
    }

    [Fact]
    public async Task A_client_relay_connects_from_the_clients_own_address_and_a_cut_stops_that_client_only()
    {
        using var block = LoopbackAddressBlock.Claim(output.WriteLine);
        using var server = new TcpListener(block.Member(0), 0);
        server.Start();
        var target = (IPEndPoint)server.LocalEndpoint;
        await using var cutOff = ClientRelay.Start(block.Client(0), target);
        await using var untouched = ClientRelay.Start(block.Client(1), target);
        await using var cutter = await LinkCutter.CreateAsync(output.WriteLine);

        Assert.Equal(block.Client(0), await SeenFromAsync(server, cutOff));
        await cutter.CutAsync(block.Client(0), block.Member(0));
        Assert.Null(await SeenFromAsync(server, cutOff));
        Assert.Equal(block.Client(1), await SeenFromAsync(server, untouched));
        Assert.True(await cutter.DroppedPacketsAsync() > 0, "the cut's rule must have dropped the first client's packets");
        await cutter.HealAsync();
        Assert.Equal(block.Client(0), await SeenFromAsync(server, cutOff));
    }

    /// <summary>Connects through the relay; the address the server sees the connection come from, or null when none arrives.</summary>
    private static async Task<IPAddress?> SeenFromAsync(TcpListener server, ClientRelay relay)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, relay.Port);
        using var timeout = new CancellationTokenSource(ClientRelay.ConnectTimeout + TimeSpan.FromSeconds(1));
        try
        {
            using var accepted = await server.AcceptTcpClientAsync(timeout.Token);
            return ((IPEndPoint)accepted.Client.RemoteEndPoint!).Address;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    [Fact]
    public async Task A_table_of_a_dead_test_process_is_removed_and_a_table_naming_no_owner_stops_the_harness()
    {
        var self = HarnessRun.Current.Marker;
        // The same pid with another start time: a process that is gone (its pid reused by this one).
        var dead = $"{LinkCutter.TablePrefix}{self.OwnerPid}_{self.OwnerStartTime + 1}_1";
        var unowned = $"{LinkCutter.TablePrefix}unowned";
        await OsProcess.RunAsync("nft", ["add", "table", "inet", dead]);
        try
        {
            await using (await LinkCutter.CreateAsync(output.WriteLine))
            {
                Assert.DoesNotContain(dead, await LinkCutter.ListTablesAsync());
            }

            await OsProcess.RunAsync("nft", ["add", "table", "inet", unowned]);
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => LinkCutter.CreateAsync(output.WriteLine));
            Assert.Contains($"nft delete table inet {unowned}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var table in new[] { dead, unowned })
            {
                await OsProcess.ExecuteAsync("nft", ["delete", "table", "inet", table]);
            }
        }
    }

    [Fact]
    public async Task A_process_preloaded_with_the_shim_connects_from_its_own_address()
    {
        using var block = LoopbackAddressBlock.Claim(output.WriteLine);
        using var listener = new TcpListener(block.Member(1), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();

        var info = new System.Diagnostics.ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec 3<>/dev/tcp/{block.Member(1)}/{port}; sleep 1");
        foreach (var (key, value) in await SourceAddressBinding.EnvironmentAsync(block.Member(0)))
        {
            info.Environment[key] = value;
        }

        using var bash = System.Diagnostics.Process.Start(info)!;
        using var client = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        await bash.WaitForExitAsync();
        Assert.Equal(block.Member(0), ((IPEndPoint)client.Client.RemoteEndPoint!).Address);
    }

    [Fact]
    public void Two_clusters_never_share_an_address_block_and_a_released_claim_is_gone()
    {
        using var first = LoopbackAddressBlock.Claim(output.WriteLine);
        string claim;
        using (var second = LoopbackAddressBlock.Claim(output.WriteLine))
        {
            Assert.NotEqual(first.Cidr, second.Cidr);
            claim = Path.Combine(HarnessRun.Current.Root, LoopbackAddressBlock.ClaimsDirectoryName, $"127.{second.Second}.{second.Third}");
            Assert.True(File.Exists(claim));
            Assert.False(second.Contains(first.Member(0)));
        }

        Assert.False(File.Exists(claim));
    }

    [Fact]
    public async Task A_small_filesystem_is_never_mounted_outside_the_harness_root()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => TmpfsMount.MountAsync("/var/tmp/not-ours", 16 * 1024 * 1024));
        Assert.Contains("not under the harness root", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loss_report_names_each_lost_write_with_its_member_and_time_and_any_phantom()
    {
        static TimeSpan s(double seconds) => TimeSpan.FromSeconds(seconds);
        var records = new[]
        {
            new WriteRecord(1, "c", "pg-0", s(1), s(1.1), WriteOutcome.Acknowledged),
            new WriteRecord(2, "c", "pg-0", s(2), s(2.5), WriteOutcome.Acknowledged),
            new WriteRecord(3, "c", "pg-0", s(3), s(3.2), WriteOutcome.Indeterminate, "connection reset"),
            new WriteRecord(4, "c", "pg-1", s(4), s(4.1), WriteOutcome.Acknowledged),
        };
        var report = LossReport.Compare("pg-1", records, new HashSet<long> { 1, 4, 99 }, [("cut", s(2))]);

        Assert.False(report.IsClean);
        Assert.Equal(3, report.Acknowledged);
        Assert.Equal([2L], report.Lost.Select(l => l.Id));
        Assert.Equal([99L], report.Phantoms);
        Assert.Equal((0, 1), (report.IndeterminatePresent, report.IndeterminateAbsent));
        var text = report.Describe();
        Assert.Contains("pg-1 holds 2 of 3 acknowledged writes; 1 lost", text, StringComparison.Ordinal);
        Assert.Contains("LOST id 2: acknowledged by pg-0 to c at 2.500s (0.500s after cut)", text, StringComparison.Ordinal);
        Assert.Contains("PHANTOM ids present that no client sent: 99", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_ledger_measures_pauses_and_ignores_answers_to_writes_sent_before_a_fault()
    {
        var ledger = new WriteLedger();
        static TimeSpan s(double seconds) => TimeSpan.FromSeconds(seconds);
        ledger.Record(new WriteRecord(1, "c", "pg-0", s(0.9), s(1), WriteOutcome.Acknowledged));
        ledger.Record(new WriteRecord(2, "c", "pg-0", s(4.9), s(5.05), WriteOutcome.Acknowledged));
        ledger.Record(new WriteRecord(3, "c", "pg-1", s(6), s(6.5), WriteOutcome.Acknowledged));
        ledger.Record(new WriteRecord(4, "c", "pg-1", s(6.6), s(6.7), WriteOutcome.Indeterminate));

        Assert.Equal(s(4.05), ledger.LongestGap(s(0), s(7)));
        Assert.Equal(s(2.5), ledger.LongestGap(s(5.2), s(9)));
        Assert.Equal(2, ledger.FirstAcknowledgedBy(["pg-0", "pg-1"], s(5))!.Id);
        Assert.Equal(3, ledger.FirstAcknowledgedSentAfter(["pg-0", "pg-1"], s(5))!.Id);
        Assert.Equal(2, ledger.LastAcknowledgedBy("pg-0")!.Id);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("10", 10)]
    public void Rounds_come_from_PGHA_FAULT_ROUNDS(string? value, int rounds) => Assert.Equal(rounds, FaultRounds.Parse(value));

    [Theory]
    [InlineData("0")]
    [InlineData("ten")]
    [InlineData("101")]
    public void A_bad_round_count_names_the_variable_and_the_fix(string value)
    {
        var e = Assert.Throws<ArgumentException>(() => FaultRounds.Parse(value));
        Assert.Contains($"PGHA_FAULT_ROUNDS='{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("PGHA_FAULT_ROUNDS=10", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Figures_are_summarised_as_min_median_and_max()
    {
        Assert.Equal(2, FaultFigures.Median([3, 1, 2]));
        Assert.Equal(2.5, FaultFigures.Median([4, 1, 3, 2]));
        var figures = new FaultFigures("scenario", "mode");
        foreach (var v in new[] { 5.0, 1.0, 3.0 })
        {
            figures.Add("delay", "s", v);
        }

        Assert.Equal([("delay", "s", 3, 1.0, 3.0, 5.0)], figures.Summary());
    }

    private static async Task<bool> CanConnectAsync(IPAddress source, IPEndPoint target)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(target, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return false;
        }
    }
}
