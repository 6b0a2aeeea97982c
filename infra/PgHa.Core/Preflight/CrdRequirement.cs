using PgHa.Core.Settings;

namespace PgHa.Core.Preflight;

/// <summary>
/// A CustomResourceDefinition a setting needs installed, with what fails without it and how to fix it: the stack
/// would otherwise create the database first and fail later with "no matches for kind".
/// </summary>
/// <param name="Key">The setting that needs it.</param>
/// <param name="Value">The setting's value, as the report shows it.</param>
/// <param name="Owner">What installs it ("the Prometheus Operator").</param>
/// <param name="Creates">What the stack would create with it ("the PodMonitor and PrometheusRule").</param>
/// <param name="Fix">The fix the report offers.</param>
public sealed record CrdRequirement(string Name, ConfigKey Key, string Value, string Owner, string Creates, string Fix);
