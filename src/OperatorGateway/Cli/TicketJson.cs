using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>
/// The JSON shape of tickets for the CLI: camelCase names, enums as lower-case words, times in
/// the desk's zone with their offset. Written by hand so the names are a contract, not a side
/// effect of C# property names.
/// </summary>
internal static class TicketJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        // Agents read Chinese; keep it readable instead of \uXXXX escapes. Output goes to a terminal or a file, never into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject Ticket(Ticket t, TimeFormat time) => new()
    {
        ["ref"] = t.Ref,
        ["channel"] = Names.Of(t.Channel),
        ["kind"] = Names.Of(t.Kind),
        ["level"] = t.Level,
        ["status"] = Names.Of(t.Status),
        ["customer"] = new JsonObject
        {
            ["name"] = t.Customer.Name,
            ["email"] = t.Customer.Email,
            ["phone"] = t.Customer.Phone,
        },
        ["subject"] = t.Subject,
        ["language"] = t.Language,
        ["acceptedAt"] = time.Format(t.AcceptedAt),
        ["replyDueAt"] = time.Format(t.ReplyDueAt),
        ["resolveDueAt"] = time.Format(t.ResolveDueAt),
        ["firstReplyAt"] = time.Format(t.FirstReplyAt),
        ["resolvedAt"] = time.Format(t.ResolvedAt),
        ["repeatOf"] = t.RepeatOf is { } r ? TicketReference.Format(r) : null,
        ["satisfaction"] = t.Satisfaction == Satisfaction.None ? null : Names.Of(t.Satisfaction),
        ["operator"] = t.Operator is { } o ? new JsonObject { ["id"] = o.OperatorId, ["orderId"] = o.OrderId } : null,
        ["resolution"] = t.Resolution,
        ["owner"] = t.Owner,
    };

    public static JsonObject Details(TicketDetails d, TimeFormat time)
    {
        var json = Ticket(d.Ticket, time);
        json["messages"] = new JsonArray([.. d.Messages.Select(m => (JsonNode)new JsonObject
        {
            ["direction"] = Names.Of(m.Direction),
            ["at"] = time.Format(m.At),
            ["from"] = m.From,
            ["to"] = m.To,
            ["subject"] = m.Subject,
            ["text"] = m.Text,
            ["messageId"] = m.MessageId,
            ["automatic"] = m.Automatic,
        })]);
        json["history"] = new JsonArray([.. d.History.Select(h => (JsonNode)new JsonObject
        {
            ["at"] = time.Format(h.At),
            ["actor"] = h.Actor,
            ["action"] = h.Action,
            ["detail"] = h.Detail,
        })]);
        return json;
    }

    /// <summary>The call of a phone ticket: <c>key</c>, <c>linkedBy</c>, <c>linkedAt</c>, and the switch's record once imported (else those keys are null).</summary>
    public static JsonObject Call(Tickets.Calls.TicketCall call, TimeFormat time) => new()
    {
        ["key"] = call.Key,
        ["linkedBy"] = call.LinkedBy,
        ["linkedAt"] = time.Format(call.LinkedAt),
        ["caller"] = call.Call?.Caller,
        ["startedAt"] = time.Format(call.Call?.StartedAt),
        ["answeredAt"] = time.Format(call.Call?.AnsweredAt),
        ["endedAt"] = time.Format(call.Call?.EndedAt),
        ["disposition"] = call.Call?.Disposition,
    };

    public static string Write(JsonNode node) => node.ToJsonString(Options);
}
