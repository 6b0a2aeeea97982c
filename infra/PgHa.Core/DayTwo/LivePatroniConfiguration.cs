using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;

namespace PgHa.Core.DayTwo;

/// <summary>
/// Patroni's dynamic configuration (what <c>GET /config</c> returns and <c>PATCH /config</c> changes) as flat leaves
/// keyed by JSON pointer: <c>/ttl</c>, <c>/synchronous_mode</c>, <c>/postgresql/parameters/max_wal_senders</c>.
/// Flat, so observed and desired compare key by key, and a key added to the bootstrap configuration is compared
/// (and applied live) without a change here.
/// </summary>
public sealed class LivePatroniConfiguration
{
    public const string ParametersPointer = "/postgresql/parameters/";

    public LivePatroniConfiguration(IReadOnlyDictionary<string, ConfigValue> values) => Values = values;

    /// <summary>Every leaf, keyed by JSON pointer.</summary>
    public IReadOnlyDictionary<string, ConfigValue> Values { get; }

    /// <summary>Whether synchronous_mode is on; false when not set (Patroni's default).</summary>
    public bool SynchronousMode => Values.TryGetValue("/synchronous_mode", out var v) && v.Text == "true";

    /// <summary>maximum_lag_on_failover in bytes: Patroni refuses to promote a replica further behind; null when not set.</summary>
    public long? MaximumLagOnFailoverBytes =>
        Values.TryGetValue("/maximum_lag_on_failover", out var v) && long.TryParse(v.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            ? bytes
            : null;

    /// <summary>
    /// What the stack wants the running cluster to have: the very tree a new cluster bootstraps with
    /// (<c>bootstrap.dcs</c>, <see cref="PatroniConfig.DynamicConfiguration"/>), so a new and a running cluster agree.
    /// </summary>
    public static LivePatroniConfiguration FromSettings(PatroniSettings patroni) =>
        FromTree(Tree(PatroniConfig.DynamicConfiguration(patroni)));

    /// <summary>The typed bootstrap configuration as the tree Patroni's REST API speaks (its keys, JSON types).</summary>
    private static Dictionary<string, object> Tree(PgHa.Core.Patroni.PatroniDynamicConfiguration dcs) => new()
    {
        ["ttl"] = dcs.Ttl,
        ["loop_wait"] = dcs.LoopWait,
        ["retry_timeout"] = dcs.RetryTimeout,
        ["maximum_lag_on_failover"] = dcs.MaximumLagOnFailover,
        ["synchronous_mode"] = dcs.SynchronousMode,
        ["synchronous_mode_strict"] = dcs.SynchronousModeStrict,
        ["failsafe_mode"] = dcs.FailsafeMode,
        ["postgresql"] = new Dictionary<string, object>
        {
            ["use_pg_rewind"] = dcs.Postgresql.UsePgRewind,
            ["use_slots"] = dcs.Postgresql.UseSlots,
            ["parameters"] = dcs.Postgresql.Parameters.ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal),
        },
    };

    /// <summary>Flattens a configuration tree of dictionaries whose leaves are numbers, booleans and strings.</summary>
    public static LivePatroniConfiguration FromTree(IReadOnlyDictionary<string, object> tree)
    {
        var values = new SortedDictionary<string, ConfigValue>(StringComparer.Ordinal);
        Flatten(tree, string.Empty, values);
        return new LivePatroniConfiguration(values);
    }

    /// <summary>Reads the body of Patroni's <c>GET /config</c>. JSON nulls are absent keys (Patroni's default applies).</summary>
    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static LivePatroniConfiguration FromJson(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new FormatException("Patroni's GET /config did not return JSON: " + e.Message, e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"Patroni's GET /config returned a JSON {document.RootElement.ValueKind}, not an object.");
            }

            var values = new SortedDictionary<string, ConfigValue>(StringComparer.Ordinal);
            Flatten(document.RootElement, string.Empty, values);
            return new LivePatroniConfiguration(values);
        }
    }

    /// <summary>The configuration as the JSON object Patroni's REST API speaks (what <see cref="FromJson"/> reads back).</summary>
    public string ToJson()
    {
        var root = new JsonObject();
        foreach (var (pointer, value) in Values)
        {
            var keys = Keys(pointer);
            var node = root;
            foreach (var key in keys.Take(keys.Count - 1))
            {
                node = node[key] as JsonObject ?? (JsonObject)(node[key] = new JsonObject());
            }

            node[keys[^1]] = value.Kind switch
            {
                ConfigValueKind.Boolean => JsonValue.Create(value.Text == "true"),
                ConfigValueKind.String => JsonValue.Create(value.Text),
                _ => JsonNode.Parse(value.Text),
            };
        }

        return root.ToJsonString();
    }

    /// <summary>The JSON pointer segment for a key (RFC 6901: ~ and / escaped).</summary>
    public static string Segment(string key) => "/" + key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>The keys of a JSON pointer, unescaped.</summary>
    public static IReadOnlyList<string> Keys(string pointer) =>
        pointer.Split('/').Skip(1).Select(k => k.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    /// <summary>How a key reads in a plan: a PostgreSQL parameter by its name, anything else as Patroni's dotted path.</summary>
    public static string DisplayName(string pointer) =>
        pointer.StartsWith(ParametersPointer, StringComparison.Ordinal)
            ? Keys(pointer)[^1]
            : string.Join('.', Keys(pointer));

    private static void Flatten(IReadOnlyDictionary<string, object> tree, string prefix, IDictionary<string, ConfigValue> into)
    {
        foreach (var (key, value) in tree)
        {
            var pointer = prefix + Segment(key);
            switch (value)
            {
                case IReadOnlyDictionary<string, object> child:
                    Flatten(child, pointer, into);
                    break;
                case bool b:
                    into[pointer] = new ConfigValue(b ? "true" : "false", ConfigValueKind.Boolean);
                    break;
                case int or long or decimal or double:
                    into[pointer] = new ConfigValue(Convert.ToString(value, CultureInfo.InvariantCulture)!, ConfigValueKind.Number);
                    break;
                case string s:
                    into[pointer] = new ConfigValue(s, ConfigValueKind.String);
                    break;
                default:
                    throw new ArgumentException(
                        $"The Patroni dynamic configuration holds {value?.GetType().Name ?? "null"} at {pointer}; only objects, numbers, booleans and strings can be compared and applied live.",
                        nameof(tree));
            }
        }
    }

    private static void Flatten(JsonElement element, string prefix, IDictionary<string, ConfigValue> into)
    {
        foreach (var property in element.EnumerateObject())
        {
            var pointer = prefix + Segment(property.Name);
            var value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(value, pointer, into);
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    into[pointer] = new ConfigValue(value.ValueKind == JsonValueKind.True ? "true" : "false", ConfigValueKind.Boolean);
                    break;
                case JsonValueKind.Number:
                    into[pointer] = new ConfigValue(value.GetRawText(), ConfigValueKind.Number);
                    break;
                case JsonValueKind.String:
                    into[pointer] = new ConfigValue(value.GetString()!, ConfigValueKind.String);
                    break;
                case JsonValueKind.Array:
                    into[pointer] = new ConfigValue(value.GetRawText(), ConfigValueKind.Array);
                    break;
                default:
                    // null or undefined: the key is not set.
                    break;
            }
        }
    }
}
