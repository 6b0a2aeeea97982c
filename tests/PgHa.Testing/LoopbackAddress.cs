using System.Net;
using System.Net.Sockets;

namespace PgHa.Testing;

/// <summary>
/// The only addresses the fault harness may bind, relay from or cut: IPv4 loopback (127.0.0.0/8), outside the block
/// 127.0.0.0/24 that the rest of the machine shares (127.0.0.1 for every other test and service, 127.0.0.53 for a
/// local resolver). Every address a cut, a relay or a member's source binding uses goes through <see cref="Require"/>.
/// </summary>
public static class LoopbackAddress
{
    /// <summary>Whether <paramref name="address"/> is IPv4 in 127.0.0.0/8 and not in the shared 127.0.0.0/24.</summary>
    public static bool IsOwnLoopback(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        return bytes[0] == 127 && !(bytes[1] == 0 && bytes[2] == 0);
    }

    /// <summary>Returns <paramref name="address"/>, or throws naming <paramref name="what"/> when it is not an own loopback address.</summary>
    public static IPAddress Require(IPAddress address, string what)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IsOwnLoopback(address)
            ? address
            : throw new ArgumentException(
                $"{what}: {address} is not an address the fault harness may use. Only IPv4 loopback 127.0.0.0/8 outside 127.0.0.0/24 " +
                "(which the rest of the machine shares) is ever bound, relayed or cut; take addresses from a LoopbackAddressBlock.",
                nameof(address));
    }

    /// <summary>Parses and checks an address written as text.</summary>
    public static IPAddress Require(string address, string what) =>
        IPAddress.TryParse(address, out var parsed)
            ? Require(parsed, what)
            : throw new ArgumentException($"{what}: '{address}' is not an IPv4 address; the fault harness only uses 127.x.y.z outside 127.0.0.0/24.",
                nameof(address));
}
