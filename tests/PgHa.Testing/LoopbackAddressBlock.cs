using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace PgHa.Testing;

/// <summary>
/// A /24 of loopback addresses (127.X.Y.0/24, X in 100..199) that one cluster of one test run owns: etcd at .2, member
/// i at .(10+i), client i at .(100+i). Claimed by creating a file named after the block under the harness root
/// (<c>address-blocks/127.X.Y</c>, holding the run and its owner as <see cref="HarnessMarker"/> writes them), so two
/// test classes or two test processes never get the same block; a claim whose owner process is gone is taken over.
/// A block that any socket on the machine is bound in is skipped. Disposing releases the claim.
/// </summary>
public sealed class LoopbackAddressBlock : IDisposable
{
    public const string ClaimsDirectoryName = "address-blocks";

    private const int EtcdHost = 2;
    private const int FirstMemberHost = 10;
    private const int FirstClientHost = 100;
    private const int MaxMembers = 50;
    private const int MaxClients = 100;

    private readonly string _claimFile;
    private bool _released;

    private LoopbackAddressBlock(byte second, byte third, string claimFile)
    {
        Second = second;
        Third = third;
        _claimFile = claimFile;
    }

    public byte Second { get; }
    public byte Third { get; }

    /// <summary>127.X.Y.0/24, for messages.</summary>
    public string Cidr => string.Create(CultureInfo.InvariantCulture, $"127.{Second}.{Third}.0/24");

    /// <summary>etcd's address.</summary>
    public IPAddress Etcd => Host(EtcdHost);

    /// <summary>Member <paramref name="index"/>'s address (Patroni's REST API and PostgreSQL listen there, and its processes connect from there).</summary>
    public IPAddress Member(int index) =>
        index is >= 0 and < MaxMembers ? Host(FirstMemberHost + index) : throw new ArgumentOutOfRangeException(nameof(index), index, $"a block holds {MaxMembers} members");

    /// <summary>Client <paramref name="index"/>'s address (its connections leave from there).</summary>
    public IPAddress Client(int index) =>
        index is >= 0 and < MaxClients ? Host(FirstClientHost + index) : throw new ArgumentOutOfRangeException(nameof(index), index, $"a block holds {MaxClients} clients");

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var b = address.GetAddressBytes();
        return b.Length == 4 && b[0] == 127 && b[1] == Second && b[2] == Third;
    }

    private IPAddress Host(int last) => LoopbackAddress.Require(new IPAddress([127, Second, Third, (byte)last]), "a block address");

    /// <summary>Claims a free block for this process's <see cref="HarnessRun"/>.</summary>
    public static LoopbackAddressBlock Claim(Action<string>? log = null)
    {
        var run = HarnessRun.Start(log);
        var directory = Path.Combine(run.Root, ClaimsDirectoryName);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, (UnixFileMode)0b1_111_111_111);
        }

        var bound = BoundLoopbackAddresses();
        for (var attempt = 0; attempt < 500; attempt++)
        {
            var second = (byte)(100 + RandomNumberGenerator.GetInt32(100));
            var third = (byte)RandomNumberGenerator.GetInt32(256);
            if (bound.Any(a => a[1] == second && a[2] == third))
            {
                continue;
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"127.{second}.{third}");
            var claimFile = Path.Combine(directory, name);
            if (File.Exists(claimFile) && !RemoveIfStale(claimFile, name, log))
            {
                continue;
            }

            try
            {
                using (var stream = new FileStream(claimFile, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(stream))
                {
                    writer.WriteLine(run.Id);
                    writer.WriteLine(run.Marker.Owner);
                }

                var block = new LoopbackAddressBlock(second, third, claimFile);
                log?.Invoke($"claimed loopback block {block.Cidr} (etcd {block.Etcd}, members from {block.Member(0)}, clients from {block.Client(0)})");
                return block;
            }
            catch (IOException) when (File.Exists(claimFile))
            {
                // Another process claimed it between the check and the create: try another block.
            }
        }

        throw new InvalidOperationException($"no free loopback block 127.100-199.x.0/24 after 500 tries; see {directory} for the claims of running test processes");
    }

    /// <summary>A claim whose run's owner process is gone is removed; returns whether the block is free now.</summary>
    private static bool RemoveIfStale(string claimFile, string name, Action<string>? log)
    {
        try
        {
            var lines = File.ReadAllLines(claimFile);
            var marker = lines.Length >= 2 ? HarnessMarker.Parse(lines[0], lines[1]) : null;
            if (marker is not null && marker.OwnerIsAlive)
            {
                return false;
            }

            File.Delete(claimFile);
            log?.Invoke($"took over block {name}: its claim's owner ({(marker is null ? "unreadable" : $"pid {marker.OwnerPid} of run {marker.RunId}")}) is gone");
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every IPv4 loopback address a TCP or UDP socket is bound to right now (/proc/net/{tcp,udp}), as bytes in network order.</summary>
    public static IReadOnlyList<byte[]> BoundLoopbackAddresses()
    {
        var found = new List<byte[]>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/udp" })
        {
            string[] lines;
            try
            {
                lines = File.ReadAllLines(table);
            }
            catch (IOException)
            {
                continue;
            }

            foreach (var line in lines.Skip(1))
            {
                var local = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split(':')[0];
                if (local is { Length: 8 } && uint.TryParse(local, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var raw))
                {
                    // The kernel prints the address as the 32-bit word it stores (network order) read in host order.
                    var bytes = BitConverter.GetBytes(raw);
                    if (!BitConverter.IsLittleEndian)
                    {
                        Array.Reverse(bytes);
                    }

                    if (bytes[0] == 127)
                    {
                        found.Add(bytes);
                    }
                }
            }
        }

        return found;
    }

    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        try
        {
            File.Delete(_claimFile);
        }
        catch (IOException)
        {
            // A later claim of the same block finds the owner gone and takes it over.
        }
    }

    public override string ToString() => Cidr;
}
