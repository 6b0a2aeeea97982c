using System.Collections.Immutable;
using PgHa.Core.Tls;
using Pulumi.Experimental;
using Pulumi.Experimental.Provider;
using Input = PgHa.Core.Tls.ClusterCertificatesContract.InputName;

namespace PgHa.Provider;

/// <summary>The ClusterCertificates resource's inputs, parsed and validated against <see cref="ClusterCertificatesContract.Inputs"/>.</summary>
public sealed record ClusterCertificatesInputs(string CommonName, IReadOnlyList<string> DnsNames, int ValidityDays, int RenewBeforeDays)
{
    public CertificateLifetime Lifetime => CertificateLifetime.FromDays(ValidityDays, RenewBeforeDays);

    public override string ToString() => $"ClusterCertificates {CommonName} ({DnsNames.Count} names)";

    /// <summary>Parses the inputs, or lists every problem with the property it concerns.</summary>
    public static (ClusterCertificatesInputs? Inputs, IList<CheckFailure> Failures) Parse(ImmutableDictionary<string, PropertyValue> properties)
    {
        var failures = new List<CheckFailure>();
        var commonName = properties.TryGetValue(Input.CommonName, out var cn) && cn.TryGetString(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
        if (commonName is null)
        {
            failures.Add(new CheckFailure(Input.CommonName, ClusterCertificatesContract.Input(Input.CommonName).Rule()));
        }

        var names = new List<string>();
        if (!properties.TryGetValue(Input.DnsNames, out var list) || !list.TryGetArray(out var items) || items.Length == 0)
        {
            failures.Add(new CheckFailure(Input.DnsNames, $"{Input.DnsNames} must be a non-empty list of DNS names."));
        }
        else
        {
            foreach (var item in items)
            {
                if (item.TryGetString(out var name) && System.Uri.CheckHostName(name) == UriHostNameType.Dns)
                {
                    names.Add(name);
                }
                else
                {
                    failures.Add(new CheckFailure(Input.DnsNames, $"{Input.DnsNames}: \"{item}\" is not a DNS name."));
                }
            }
        }

        int Days(string name)
        {
            var input = ClusterCertificatesContract.Input(name);
            if (properties.TryGetValue(name, out var value) && value.TryGetNumber(out var number) && number == Math.Floor(number)
                && number >= input.Minimum!.Value && number <= input.Maximum!.Value)
            {
                return (int)number;
            }

            failures.Add(new CheckFailure(name, input.Rule()));
            return 0;
        }

        var validity = Days(Input.ValidityDays);
        var renewBefore = Days(Input.RenewBeforeDays);
        if (validity > 0 && renewBefore >= validity)
        {
            failures.Add(new CheckFailure(Input.RenewBeforeDays,
                $"{Input.RenewBeforeDays} ({renewBefore}) must be less than {Input.ValidityDays} ({validity}), or every run would renew the certificate."));
        }

        return failures.Count == 0 ? (new ClusterCertificatesInputs(commonName!, names, validity, renewBefore), failures) : (null, failures);
    }
}
