using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using TicketGateway.OperatorGateway.Complaints;
using Code = Google.Rpc.Code;
using RpcStatus = Google.Rpc.Status;

namespace TicketGateway.OperatorGateway.Grpc;

/// <summary>
/// The error model of the operator contract: a precise status code, one sentence, and the standard
/// google.rpc details (BadRequest naming the field, ErrorInfo with a stable reason, RetryInfo).
/// </summary>
internal static class RpcErrors
{
    private const string Domain = "ticketgateway.operator.v1";

    public static RpcException Invalid(string field, string description) =>
        new RpcStatus
        {
            Code = (int)Code.InvalidArgument,
            Message = description,
            Details =
            {
                Any.Pack(new BadRequest { FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = description } } }),
            },
        }.ToRpcException();

    public static RpcException Unauthenticated(string message) => Error(Code.Unauthenticated, message, "UNAUTHENTICATED");

    public static RpcException RateLimited(string operatorId) =>
        new RpcStatus
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"Operator {operatorId} is over its rate limit; retry after a second.",
            Details =
            {
                Any.Pack(new ErrorInfo { Domain = Domain, Reason = "RATE_LIMITED" }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) }),
            },
        }.ToRpcException();

    public static RpcException TooManyFailures(string address) =>
        new RpcStatus
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"Too many failed authentications from {address}; calls from it are refused for a while.",
            Details = { Any.Pack(new ErrorInfo { Domain = Domain, Reason = "TOO_MANY_AUTHENTICATION_FAILURES" }) },
        }.ToRpcException();

    public static RpcException StoreUnavailable() =>
        new RpcStatus
        {
            Code = (int)Code.Unavailable,
            Message = "The ticket store cannot be reached now, so the call was not confirmed; retry in a few seconds (a repeated order_id is answered once).",
            Details =
            {
                Any.Pack(new ErrorInfo { Domain = Domain, Reason = "STORE_UNAVAILABLE" }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(TimeSpan.FromSeconds(2)) }),
            },
        }.ToRpcException();

    public static RpcException StoreRefused() => Error(
        Code.Internal,
        "The ticket store refused this call, so nothing of it was committed; retrying meets the same refusal until the desk's staff fix what the gateway's log names (event 106).",
        "STORE_REFUSED");

    public static RpcException Unparsable() => Error(Code.InvalidArgument, "The request is not valid protobuf/UTF-8.", "MALFORMED_REQUEST");

    /// <summary>Maps a refused complaint operation to its status.</summary>
    public static RpcException From(ComplaintException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Error switch
        {
            ComplaintError.Invalid => Invalid(ex.Field ?? "", ex.Message),
            ComplaintError.NotFound => Error(Code.NotFound, ex.Message, "COMPLAINT_NOT_FOUND"),
            ComplaintError.Conflict => Error(Code.AlreadyExists, ex.Message, "ORDER_ID_REUSED"),
            _ => Error(Code.FailedPrecondition, ex.Message, "COMPLAINT_STATE"),
        };
    }

    private static RpcException Error(Code code, string message, string reason) =>
        new RpcStatus
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Domain = Domain, Reason = reason }) },
        }.ToRpcException();
}
