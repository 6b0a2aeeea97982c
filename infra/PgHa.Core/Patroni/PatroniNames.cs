using System.Text.RegularExpressions;

namespace PgHa.Core.Patroni;

/// <summary>Names Patroni derives: the physical slot a member's replication uses on the leader.</summary>
public static partial class PatroniNames
{
    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotSlotCharacter();

    /// <summary>Patroni's slot name for a member: lower case, anything but [a-z0-9_] becomes '_' (pod "db-1" → "db_1").</summary>
    public static string SlotName(string memberName) => NotSlotCharacter().Replace(memberName.ToLowerInvariant(), "_");
}
