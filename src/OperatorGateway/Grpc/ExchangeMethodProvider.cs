using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using TicketGateway.Protos.Operator.V1;

namespace TicketGateway.OperatorGateway.Grpc;

/// <summary>
/// Binds the ComplaintExchange methods with request parsers that turn a malformed body into a marker the
/// interceptor refuses with INVALID_ARGUMENT (<see cref="UnparsableRequest"/>). The generated binder cannot be
/// given other parsers, so the service's own <c>BindService</c> binds nothing and this provider binds every method.
/// </summary>
internal sealed class ExchangeMethodProvider : IServiceMethodProvider<ComplaintExchangeService>
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ComplaintExchangeService> context) =>
        ComplaintExchange.BindService(new Binder(context), null!);

    private sealed class Binder(ServiceMethodProviderContext<ComplaintExchangeService> context) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            // The generated base's virtual method, called on the service instance (so the override runs).
            var target = typeof(ComplaintExchange.ComplaintExchangeBase).GetMethod(method.Name, [typeof(TRequest), typeof(ServerCallContext)])
                ?? throw new InvalidOperationException($"ComplaintExchangeBase has no method {method.Name}.");
            var invoker = target.CreateDelegate<UnaryServerMethod<ComplaintExchangeService, TRequest, TResponse>>();
            context.AddUnaryMethod(UnparsableRequest.Tolerant(method), [], invoker);
        }

        // The exchange has only unary methods; a streaming one added to the contract must be bound here too.
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
            throw new NotSupportedException($"Streaming method {method.Name} is not bound.");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
            throw new NotSupportedException($"Streaming method {method.Name} is not bound.");

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
            throw new NotSupportedException($"Streaming method {method.Name} is not bound.");
    }
}
