using PgHa.Core.DayTwo;

namespace PgHa.Core.Tests;

/// <summary>
/// The SCRAM-SHA-256 verifier computed on the client is the one PostgreSQL computes: the vectors are pg_authid.rolpassword
/// as PostgreSQL 15 wrote it after <c>CREATE ROLE ... PASSWORD '&lt;clear&gt;'</c>, recomputed here with the same salt.
/// (The integration tests check the same against a live server with a fresh salt.)
/// </summary>
public sealed class ScramVerifierTests
{
    public static TheoryData<string, string> PostgresVerifiers => new()
    {
        // ASCII: used as it is.
        { "correct horse battery staple", "SCRAM-SHA-256$4096:M6fNpM1IKIoKV5CjLBkRrw==$LjOnd7ZGWZSfGaKzK5H/pHc6n15BsmWqCxIwonEGc4c=:3o9rqm7rUPqBZzCzXFdP4KY0ANNIIhXX1fzhUfT7iL4=" },
        // SASLprep: an em space becomes a space, o + combining diaeresis is normalized to ö, a soft hyphen is removed.
        { "p\u00e4ss\u2003wo\u0308rd\u00ad", "SCRAM-SHA-256$4096:F7NKPe7NbR4e2vdBH1kjkA==$HhiTf9qeHCpXqoQPcJpaOXhuR/qg3/cYSMpvUukjbuM=:QMhOH93isbaPitVoHVsNl7vgsecmLYZ0PmdPYt6QXLE=" },
        // A no-break space alone: mapped to a space.
        { "\u00a0", "SCRAM-SHA-256$4096:twhoyTpfckzbWZvVcWLgwA==$n0qzwkUS81YUlHOUlqhhfbNtpDJmKhg9bI+wLsJrsSU=:YqFjafM1bw/hiQpfhMMZXNMZ8TdVyXWtqx77kkOn0jc=" },
        // ASCII with a control character: ASCII is never prepared, the bytes are used as they are.
        { "x\u0007y", "SCRAM-SHA-256$4096:YJY5EWLxgce7kYD2fevfMQ==$gE5OW/jNbcjFM/KSoRw42bxxo5CEoM2DR7GYItOO4y8=:LcMTwBuJKePXIYOCf405JLdcf8daJVHer9DZmvOpSVE=" },
    };

    [Theory]
    [MemberData(nameof(PostgresVerifiers))]
    public void The_verifier_is_the_one_PostgreSQL_computes_with_the_same_salt(string password, string postgres)
    {
        var salt = Convert.FromBase64String(postgres.Split('$')[1].Split(':')[1]);
        Assert.Equal(postgres, ScramVerifier.Compute(password, salt, 4096));
        Assert.True(ScramVerifier.Matches(postgres, password, "anyone"));
        Assert.False(ScramVerifier.Matches(postgres, password + "x", "anyone"));
    }

    [Fact]
    public void A_new_verifier_has_a_fresh_salt_never_holds_the_password_and_matches_only_its_password()
    {
        const string password = "Tr0ub4dor&3-rotated";
        var first = ScramVerifier.Create(password);
        var second = ScramVerifier.Create(password);

        Assert.NotEqual(first, second);
        Assert.StartsWith("SCRAM-SHA-256$4096:", first, StringComparison.Ordinal);
        Assert.DoesNotContain(password, first, StringComparison.Ordinal);
        Assert.True(ScramVerifier.IsVerifier(first));
        Assert.True(ScramVerifier.Matches(first, password, "app"));
        Assert.True(ScramVerifier.Matches(second, password, "app"));
        Assert.False(ScramVerifier.Matches(first, "Tr0ub4dor&3-old", "app"));
    }

    [Fact]
    public void An_md5_password_is_compared_and_anything_else_does_not_match()
    {
        // md5(password || username), as PostgreSQL stores it with password_encryption = md5.
        const string md5 = "md5" + "d7a1d3e1dc0cbf3b6a3d6ef0f6a1e5e6";
        var real = "md5" + Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("secretapp"u8));
        Assert.True(ScramVerifier.Matches(real, "secret", "app"));
        Assert.False(ScramVerifier.Matches(real, "secret", "other"));
        Assert.False(ScramVerifier.Matches(md5, "secret", "app"));
        Assert.False(ScramVerifier.Matches(null, "secret", "app"));
        Assert.False(ScramVerifier.Matches("secret", "secret", "app"));
        Assert.False(ScramVerifier.Matches("SCRAM-SHA-256$4096:c2FsdA==$bm90:YSBrZXk=", "secret", "app"));
        Assert.False(ScramVerifier.IsVerifier("secret"));
    }
}
