using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace TicketGateway.OperatorGateway.Updates;

/// <summary>
/// One circuit breaker per operator that sees gRPC statuses. The HTTP resilience handler below the
/// gRPC client only sees transport failures: an operator answering UNAVAILABLE does so in trailers
/// of an HTTP 200 (dotnet/extensions#4923). There is no retry here: the outbox is the one retry layer.
/// </summary>
internal sealed class OperatorCircuits(IOptions<DeliveryOptions> options)
{
    private readonly ConcurrentDictionary<string, ResiliencePipeline> _pipelines = new(StringComparer.Ordinal);

    public ResiliencePipeline For(string operatorId) => _pipelines.GetOrAdd(operatorId, _ =>
    {
        var o = options.Value;
        return new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = o.CircuitFailureRatio,
                MinimumThroughput = o.CircuitMinimumThroughput,
                SamplingDuration = o.CircuitSamplingDuration,
                BreakDuration = o.CircuitBreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<RpcException>(e => IsTransient(e.StatusCode)),
            })
            .Build();
    });

    /// <summary>Statuses that say "the operator cannot take it now", as opposed to "it refuses this update".</summary>
    public static bool IsTransient(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded
        or StatusCode.ResourceExhausted or StatusCode.Aborted or StatusCode.Internal or StatusCode.Unknown;
}
