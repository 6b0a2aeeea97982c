namespace PgHa.Core.Patroni;

/// <summary>
/// One entry of Patroni's <c>bootstrap.initdb</c> list: a flag (<c>data-checksums</c>, written as a plain item) or an
/// option with a value (<c>encoding: UTF8</c>, written as a one-key mapping).
/// </summary>
public sealed record InitdbOption(string Name, string? Value = null)
{
    public static InitdbOption Flag(string name) => new(name);

    public static InitdbOption Setting(string name, string value) => new(name, value);
}
