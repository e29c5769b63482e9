using System.Threading.RateLimiting;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Grpc;

namespace TicketGateway.OperatorGateway.Operators;

/// <summary>
/// Every call to ComplaintExchange: who is calling (API key or client certificate), then that
/// operator's rate limit, then whether the request could be read at all. The operator is handed to the
/// service through <see cref="ServerCallContext.UserState"/>. An address that keeps failing authentication
/// is refused before its credentials are looked at (<see cref="AuthFailureLimiter"/>).
/// </summary>
internal sealed class OperatorAuthInterceptor : Interceptor, IDisposable
{
    private const string OperatorKey = "ticketgw.operator";
    private readonly OperatorDirectory _directory;
    private readonly AuthFailureLimiter _failures;
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly ILogger<OperatorAuthInterceptor> _logger;

    public OperatorAuthInterceptor(OperatorDirectory directory, AuthFailureLimiter failures, IOptions<ComplaintOptions> options, ILogger<OperatorAuthInterceptor> logger)
    {
        _directory = directory;
        _failures = failures;
        _logger = logger;
        var o = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(id => RateLimitPartition.GetTokenBucketLimiter(id, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.RateLimitBurst,
            TokensPerPeriod = o.RateLimitPerSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public static OperatorOptions Caller(ServerCallContext context) =>
        context.UserState.TryGetValue(OperatorKey, out var op) && op is OperatorOptions o
            ? o
            : throw new InvalidOperationException("The call did not pass the operator interceptor.");

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var op = Authenticate(context);
        using var lease = _limiter.AttemptAcquire(op.Id);
        if (!lease.IsAcquired)
        {
            Log.RateLimited(_logger, op.Id, context.Method);
            throw RpcErrors.RateLimited(op.Id);
        }

        if (UnparsableRequest.Is(request))
        {
            Log.UnparsableRequest(_logger, op.Id, context.Method);
            throw RpcErrors.Unparsable();
        }

        context.UserState[OperatorKey] = op;
        return await continuation(request, context);
    }

    /// <summary>Server reflection is a duplex stream: the same credentials and rate limit, once per stream.</summary>
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        var op = Authenticate(context);
        using (var lease = _limiter.AttemptAcquire(op.Id))
        {
            if (!lease.IsAcquired)
            {
                Log.RateLimited(_logger, op.Id, context.Method);
                throw RpcErrors.RateLimited(op.Id);
            }
        }

        context.UserState[OperatorKey] = op;
        await continuation(requestStream, responseStream, context);
    }

    public void Dispose() => _limiter.Dispose();

    private OperatorOptions Authenticate(ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        if (_failures.IsBlocked(address))
        {
            throw RpcErrors.TooManyFailures(address);
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is not null)
        {
            // The key itself is never logged, only that one was refused.
            if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && _directory.ByApiKey(header["Bearer ".Length..].Trim()) is { } byKey)
            {
                return byKey;
            }

            _failures.Failed(address, "unknown API key");
            throw RpcErrors.Unauthenticated("The API key in the authorization metadata is not valid.");
        }

        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is not null)
        {
            if (_directory.ByThumbprint(certificate.Thumbprint) is { } byCert)
            {
                return byCert;
            }

            _failures.Failed(address, "unknown client certificate " + certificate.Thumbprint);
            throw RpcErrors.Unauthenticated("The client certificate is not configured for any operator.");
        }

        _failures.Failed(address, "no credentials");
        throw RpcErrors.Unauthenticated("Credentials are missing: send 'authorization: Bearer <api key>' metadata or a configured client certificate.");
    }
}
