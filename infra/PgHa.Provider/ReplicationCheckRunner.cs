using k8s;
using PgHa.Core.Naming;
using PgHa.Core.Patroni;
using PgHa.Core.Settings;
using PgHa.Core.Tls;
using PgHa.Core.Verification;
using PgHa.Operations.Kubernetes;
using PgHa.Operations.Postgres;
using PgHa.Operations.Verification;

namespace PgHa.Provider;

/// <summary>
/// Reads the credentials from their Secret, reaches each pod (port-forward or cluster DNS) and runs the replication
/// verifier with the Services' endpoints (and, when asked, reads the migration report) as that role.
/// </summary>
public sealed class ReplicationCheckRunner : IReplicationCheckRunner
{
    public async Task<CheckOutcome> RunAsync(ReplicationCheckInputs inputs, Action<string> progress, CancellationToken cancellationToken)
    {
        var config = await ProviderKubeconfig.ResolveAsync(inputs.Kubeconfig, inputs.KubeContext).ConfigureAwait(false);
        using var client = new k8s.Kubernetes(config);
        // The StatefulSet's pods, as Kubernetes names them.
        var pods = Enumerable.Range(0, inputs.Replicas).Select(i => ResourceNames.Pod(inputs.StatefulSetName, i)).ToArray();
        var bridges = new List<PortForwardBridge>();
        try
        {
            var members = pods.Select(pod =>
            {
                // The name the member's certificate carries, checked whichever way the connection goes.
                var tlsName = ClusterTlsNames.Member(pod, inputs.HeadlessServiceName, inputs.Namespace);
                if (inputs.ConnectionMode == CheckConnectionMode.Direct)
                {
                    return new MemberEndpoint(pod, tlsName, PatroniConfig.PostgresPort, tlsName);
                }

                var bridge = PortForwardBridge.ToPod(client, inputs.Namespace, pod, PatroniConfig.PostgresPort);
                bridges.Add(bridge);
                return new MemberEndpoint(pod, "127.0.0.1", bridge.LocalPort, tlsName);
            }).ToArray();

            // The monitoring role's credentials, read now from its Secret: the check's inputs and state hold only the Secret's name.
            var (username, password) = await CredentialsSecret.ReadAsync(client, inputs.Namespace, inputs.CredentialsSecretName, cancellationToken)
                .ConfigureAwait(false);
            var credentials = new VerifierCredentials(username, password, inputs.CaCertificate);
            var verifier = VerifierFactory.Create(credentials,
                new KubernetesServiceEndpoints(client, inputs.Namespace, inputs.ReadWriteServiceName, inputs.ReadOnlyServiceName));
            var expectations = new VerificationExpectations(inputs.Replicas, inputs.MaxLagBytes, TimeSpan.FromSeconds(inputs.TimeoutSeconds), TimeSpan.FromSeconds(5),
                inputs.ExpectArchiving);
            var report = await verifier.VerifyAsync(members, expectations, progress, cancellationToken).ConfigureAwait(false);
            if (!report.Passed || inputs.ReportDatabase is not { } database)
            {
                return new CheckOutcome(report, null);
            }

            var primary = members.Single(m => m.Name == report.Primary);
            var migration = await MigrationReportReader.ReadAsync(primary, credentials, database, cancellationToken).ConfigureAwait(false);
            return new CheckOutcome(report, migration);
        }
        finally
        {
            foreach (var bridge in bridges)
            {
                await bridge.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
