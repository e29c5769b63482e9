using System.Data.Common;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Operators;
using TicketGateway.Protos.Operator.V1;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Grpc;

/// <summary>The operator's entry point: validates, maps, and turns refusals into precise statuses.</summary>
[BindServiceMethod(typeof(ComplaintExchangeService), nameof(BindService))]
internal sealed class ComplaintExchangeService(ComplaintDesk desk, RequestValidation validation, TimeProvider time, ILogger<ComplaintExchangeService> logger) : ComplaintExchange.ComplaintExchangeBase
{
    /// <summary>
    /// Binds nothing: grpc-dotnet would bind the generated methods through the attribute of the generated base,
    /// with parsers that throw; <see cref="ExchangeMethodProvider"/> binds them instead, with tolerant parsers.
    /// </summary>
    public static void BindService(ServiceBinderBase binder, ComplaintExchangeService service)
    {
    }

    public override Task<ComplaintReceipt> SubmitComplaint(SubmitComplaintRequest request, ServerCallContext context) =>
        Guard(async () => ProtoMapping.ToProto(await desk.SubmitAsync(Caller(context), validation.Submission(request), context.CancellationToken)));

    public override Task<ComplaintStatus> GetComplaint(GetComplaintRequest request, ServerCallContext context) =>
        Guard(() => Task.FromResult(ProtoMapping.ToProto(desk.Get(Caller(context), RequestValidation.OrderId(request.OrderId)))));

    public override Task<ComplaintStatus> AddSupplement(AddSupplementRequest request, ServerCallContext context) =>
        Guard(async () => ProtoMapping.ToProto(await desk.AddSupplementAsync(
            Caller(context), RequestValidation.OrderId(request.OrderId), validation.Content("content", request.Content), validation.Attachments(request.Attachments), context.CancellationToken)));

    public override Task<ComplaintStatus> Urge(UrgeRequest request, ServerCallContext context) =>
        Guard(async () => ProtoMapping.ToProto(await desk.UrgeAsync(
            Caller(context), RequestValidation.OrderId(request.OrderId), RequestValidation.Reason("reason", request.Reason), context.CancellationToken)));

    public override Task<ComplaintStatus> Withdraw(WithdrawRequest request, ServerCallContext context) =>
        Guard(async () => ProtoMapping.ToProto(await desk.WithdrawAsync(
            Caller(context), RequestValidation.OrderId(request.OrderId), RequestValidation.Reason("reason", request.Reason), context.CancellationToken)));

    public override Task<ComplaintStatus> ReportSatisfaction(ReportSatisfactionRequest request, ServerCallContext context) =>
        Guard(async () =>
        {
            var satisfaction = request.Result switch
            {
                SatisfactionResult.Satisfied => Satisfaction.Satisfied,
                SatisfactionResult.Unsatisfied => Satisfaction.Unsatisfied,
                _ => throw ComplaintException.Invalid("result", "result must be SATISFIED or UNSATISFIED."),
            };
            return ProtoMapping.ToProto(await desk.ReportSatisfactionAsync(
                Caller(context), RequestValidation.OrderId(request.OrderId), satisfaction, RequestValidation.Reason("comment", request.Comment), context.CancellationToken));
        });

    public override Task<PingReply> Ping(PingRequest request, ServerCallContext context) =>
        Task.FromResult(new PingReply { OperatorId = Caller(context), ServerTime = Timestamp.FromDateTimeOffset(time.GetUtcNow()) });

    private static string Caller(ServerCallContext context) => OperatorAuthInterceptor.Caller(context).Id;

    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (ComplaintException ex)
        {
            throw RpcErrors.From(ex);
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is DbException db && (db.IsTransient || desk.StoreDialect.IsUnavailable(db))))
        {
            // The store cannot take the call now (PostgreSQL restarting, a failover, a busy file): never an OK
            // for what was not committed; the operator retries.
            Log.StoreUnavailable(logger, ex.Message);
            throw RpcErrors.StoreUnavailable();
        }
        catch (DbException ex)
        {
            // Refused by the store for good (a constraint, a statement it cannot run): a retry meets the same
            // refusal, so the operator is not told to retry; nothing of the call was committed, and the log says why.
            Log.StoreRefused(logger, ex.Message);
            throw RpcErrors.StoreRefused();
        }
        catch (TicketException ex)
        {
            throw RpcErrors.From(new ComplaintException(
                ex.Error switch { TicketError.Invalid => ComplaintError.Invalid, TicketError.NotFound => ComplaintError.NotFound, _ => ComplaintError.State },
                ex.Message));
        }
    }
}
