using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using TicketGateway.OperatorGateway.Hosting;
using TicketGateway.OperatorGateway.Operators;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Operations;

/// <summary>Each operator's callback endpoint: does it answer, and how old is its oldest undelivered update.</summary>
internal sealed partial class Inspector
{
    private IEnumerable<InspectionCheck> OperatorChecks() =>
        (configuration.GetSection(OperatorsOptions.Section).Get<List<OperatorOptions>>() ?? [])
            .Where(o => o.Id.Length > 0)
            .Select(o => new InspectionCheck("operator:" + o.Id, ct => Operator(o, ct)));

    private async Task<(CheckOutcome, string)> Operator(OperatorOptions op, CancellationToken cancellationToken)
    {
        var (pending, oldest) = await Task.Run(() => database.Read(c =>
        {
            using var command = c.Command(
                "SELECT COUNT(*), MIN(occurred_at) FROM operator_updates WHERE delivered_at IS NULL AND operator_id = @op", null, ("@op", op.Id));
            using var r = command.ExecuteReader();
            r.Read();
            return (r.GetInt64(0), r.IsDBNull(1) ? (DateTimeOffset?)null : r.Instant(1));
        }), cancellationToken).ConfigureAwait(false);
        var queue = pending == 0 ? "no update waiting" : $"{pending} update(s) waiting, the oldest {Age(time.GetUtcNow() - oldest!.Value)} old";

        var answer = await Answers(op, cancellationToken).ConfigureAwait(false);
        if (answer is not null)
        {
            return InspectionCheck.Failed($"{op.CallbackAddress} does not answer: {answer}; {queue}");
        }

        var text = $"{op.CallbackAddress} answers; {queue}";
        var after = delivery.Value.UndeliveredAlertAfter;
        return oldest is { } o && time.GetUtcNow() - o > after
            ? InspectionCheck.Warning(text + $", longer than {Age(after)} (OperatorGateway:Delivery:UndeliveredAlertAfter)")
            : InspectionCheck.Ok(text);
    }

    /// <summary>
    /// Asks the operator's endpoint for its gRPC health, with our credentials as updates carry them.
    /// Any gRPC answer shows the endpoint serves, UNIMPLEMENTED included (a receiver without a health
    /// service); no answer, or UNAVAILABLE, does not. Returns null when it answers, else why not.
    /// </summary>
    private async Task<string?> Answers(OperatorOptions op, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(op.CallbackAddress, UriKind.Absolute, out var address))
        {
            return "Operators: CallbackAddress is not an absolute URL";
        }

        var credentials = CallCredentials.FromInterceptor((_, metadata) =>
        {
            if (!string.IsNullOrEmpty(op.CallbackApiKey))
            {
                metadata.Add("authorization", "Bearer " + op.CallbackApiKey);
            }

            return Task.CompletedTask;
        });
        using var handler = OperatorGatewayHostingExtensions.CallbackHandler(op);
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = false,
            Credentials = ChannelCredentials.Create(address.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, credentials),
            UnsafeUseInsecureChannelCallCredentials = true,
        });
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Options.CheckTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : "its health service says " + reply.Status.ToString();
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal))
        {
            // It answered (UNIMPLEMENTED, UNAUTHENTICATED, ...): the endpoint is up.
            return null;
        }
        catch (RpcException ex)
        {
            return ex.StatusCode.ToString().ToUpperInvariant() + ": " + (ex.Status.DebugException?.InnerException?.Message ?? ex.Status.DebugException?.Message ?? ex.Status.Detail);
        }
    }
}
