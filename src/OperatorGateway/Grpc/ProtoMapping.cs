using Google.Protobuf.WellKnownTypes;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Protos.Operator.V1;
using TicketGateway.Tickets;
using UpdateKind = TicketGateway.OperatorGateway.Updates.UpdateKind;

namespace TicketGateway.OperatorGateway.Grpc;

/// <summary>Maps the exchange's own types to the contract's messages.</summary>
internal static class ProtoMapping
{
    public static ComplaintReceipt ToProto(ComplaintReceiptView r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new ComplaintReceipt
        {
            OrderId = r.OrderId,
            TicketRef = r.TicketRef,
            AcceptedAt = Timestamp.FromDateTimeOffset(r.AcceptedAt),
            Level = r.Level,
            ResolveDueAt = Timestamp.FromDateTimeOffset(r.ResolveDueAt),
        };
    }

    public static ComplaintStatus ToProto(ComplaintView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var (complaint, ticket) = (view.Complaint, view.Ticket);
        var status = new ComplaintStatus
        {
            OrderId = complaint.OrderId,
            TicketRef = ticket.Ref,
            State = complaint.WithdrawnAt is not null ? ComplaintState.Withdrawn
                : ticket.Status switch
                {
                    TicketStatus.New => ComplaintState.Received,
                    TicketStatus.Resolved => ComplaintState.Resolved,
                    TicketStatus.Closed => ComplaintState.Closed,
                    _ => ComplaintState.InProgress,
                },
            Level = ticket.Level ?? 0,
            AcceptedAt = Timestamp.FromDateTimeOffset(ticket.AcceptedAt),
            Resolution = ticket.Resolution ?? "",
            Satisfaction = ticket.Satisfaction switch
            {
                Satisfaction.Satisfied => SatisfactionResult.Satisfied,
                Satisfaction.Unsatisfied => SatisfactionResult.Unsatisfied,
                _ => SatisfactionResult.Unspecified,
            },
        };
        if (complaint.DueAt(ticket.ResolveDueAt) is { } due)
        {
            status.ResolveDueAt = Timestamp.FromDateTimeOffset(due);
        }

        if (ticket.ResolvedAt is { } resolved && ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
        {
            status.ResolvedAt = Timestamp.FromDateTimeOffset(resolved);
        }

        foreach (var u in view.Updates)
        {
            var queued = new Protos.Operator.V1.QueuedUpdate { Update = ToProto(u) };
            if (u.DeliveredAt is { } at)
            {
                queued.DeliveredAt = Timestamp.FromDateTimeOffset(at);
            }

            status.Updates.Add(queued);
        }

        return status;
    }

    public static ComplaintUpdate ToProto(Updates.QueuedUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        var update = new ComplaintUpdate
        {
            OrderId = u.OrderId,
            TicketRef = TicketReference.Format(u.TicketId),
            Sequence = u.Sequence,
            Kind = u.Kind switch
            {
                UpdateKind.Accepted => Protos.Operator.V1.UpdateKind.Accepted,
                UpdateKind.Progress => Protos.Operator.V1.UpdateKind.Progress,
                UpdateKind.Resolved => Protos.Operator.V1.UpdateKind.Resolved,
                _ => Protos.Operator.V1.UpdateKind.Withdrawn,
            },
            OccurredAt = Timestamp.FromDateTimeOffset(u.OccurredAt),
            Message = u.Message,
            Handler = u.Handler,
            Level = u.Level,
        };
        if (u.RefundFen is { } fen)
        {
            update.RefundFen = fen;
        }

        if (u.ResolveDueAt is { } due)
        {
            update.ResolveDueAt = Timestamp.FromDateTimeOffset(due);
        }

        return update;
    }
}
