using System.Text;
using Google.Protobuf;
using Grpc.Core;

namespace TicketGateway.OperatorGateway.Grpc;

/// <summary>
/// Requests whose body is not valid protobuf (or holds a string that is not UTF-8). grpc-dotnet reads a unary
/// request before any interceptor runs and answers a parser exception with UNKNOWN and a stack trace in the
/// log; the tolerant parser (bound by <see cref="ExchangeMethodProvider"/>) returns a marker instead, and the
/// operator interceptor answers it with INVALID_ARGUMENT and one log line, after the caller's credentials and rate limit.
/// </summary>
internal static class UnparsableRequest
{
    /// <summary>Whether <paramref name="request"/> is the marker standing for a request that could not be parsed.</summary>
    public static bool Is<T>(T request)
        where T : class => ReferenceEquals(request, Marker<T>.Instance);

    /// <summary>The method with a request parser that returns the marker instead of throwing.</summary>
    public static Method<TRequest, TResponse> Tolerant<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var parse = method.RequestMarshaller.ContextualDeserializer;
        var marshaller = Marshallers.Create(method.RequestMarshaller.ContextualSerializer, context =>
        {
            try
            {
                return parse(context);
            }
            catch (Exception ex) when (ex is InvalidProtocolBufferException or DecoderFallbackException)
            {
                return Marker<TRequest>.Instance;
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    private static class Marker<T>
        where T : class
    {
        // Never handed to service code: the interceptor refuses the call when it sees it.
        public static readonly T Instance = Activator.CreateInstance<T>();
    }
}
