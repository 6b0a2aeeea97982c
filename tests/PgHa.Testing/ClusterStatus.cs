using System.Text.Json;

namespace PgHa.Testing;

/// <summary>One member as Patroni's /cluster endpoint reports it.</summary>
public sealed record MemberStatus(string Name, string Role, string State, long? Timeline, long? LagBytes)
{
    /// <summary>"leader" (Patroni 3) or "primary" in some versions' role names.</summary>
    public bool IsLeader => Role is "leader" or "master" or "primary" or "standby_leader";

    public bool IsSyncStandby => Role is "sync_standby";
}

public sealed record ClusterStatus(IReadOnlyList<MemberStatus> Members)
{
    public IReadOnlyList<MemberStatus> Leaders => Members.Where(m => m.IsLeader).ToArray();

    public static ClusterStatus Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var members = doc.RootElement.GetProperty("members").EnumerateArray().Select(m => new MemberStatus(
            m.GetProperty("name").GetString()!,
            m.GetProperty("role").GetString()!,
            m.TryGetProperty("state", out var s) ? s.GetString()! : "unknown",
            m.TryGetProperty("timeline", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetInt64() : null,
            m.TryGetProperty("lag", out var l) && l.ValueKind == JsonValueKind.Number ? l.GetInt64() : null)).ToArray();
        return new ClusterStatus(members);
    }

    public override string ToString() =>
        string.Join(", ", Members.Select(m => $"{m.Name}={m.Role}/{m.State}/tl{m.Timeline}/lag{m.LagBytes}"));
}
