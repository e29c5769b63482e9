using System.Globalization;
using System.Text.Json.Nodes;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Attachments;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary>What <c>tickets show</c> adds about files and merges: attachments per message, merge pointers.</summary>
internal sealed class TicketFilesView(IReadOnlyList<Attachment> files, long? mergedInto, IReadOnlyList<long> mergedFrom)
{
    public static TicketFilesView Read(TicketService tickets, TicketDetails details) =>
        new(tickets.Attachments(details.Ticket.Ref), tickets.MergeTarget(details.Ticket.Id), tickets.MergedFrom(details.Ticket.Id));

    /// <summary>
    /// Adds <c>mergedInto</c>, <c>mergedFrom</c>, <c>messages[].id</c>, <c>messages[].attachments[]</c>
    /// and <c>attachments[]</c> (files on none of the messages) to the JSON of <c>tickets show</c>.
    /// </summary>
    public void AddTo(JsonObject json, TicketDetails details)
    {
        json["mergedInto"] = mergedInto is { } into ? TicketReference.Format(into) : null;
        json["mergedFrom"] = new JsonArray([.. mergedFrom.Select(id => (JsonNode)TicketReference.Format(id))]);
        if (json["messages"] is JsonArray messages)
        {
            for (var i = 0; i < messages.Count && i < details.Messages.Count; i++)
            {
                var id = details.Messages[i].Id;
                messages[i]!["id"] = id;
                messages[i]!["attachments"] = Json(files.Where(f => f.MessageId == id));
            }
        }

        json["attachments"] = Json(files.Where(f => f.MessageId is null || details.Messages.All(m => m.Id != f.MessageId)));
    }

    /// <summary>The text lines of a message's files.</summary>
    public IEnumerable<string> Lines(TicketMessage message) => files.Where(f => f.MessageId == message.Id).Select(Line);

    /// <summary>The text lines of the merge pointers and of files on none of the messages.</summary>
    public IEnumerable<string> TicketLines(TicketDetails details)
    {
        if (mergedInto is { } into)
        {
            yield return $"  merged into {TicketReference.Format(into)} (closed; its messages and mail are there)";
        }

        if (mergedFrom.Count > 0)
        {
            yield return $"  merged from {string.Join(", ", mergedFrom.Select(TicketReference.Format))}";
        }

        foreach (var f in files.Where(f => f.MessageId is null || details.Messages.All(m => m.Id != f.MessageId)))
        {
            yield return Line(f) + " (on the ticket, with no message; never sent)";
        }
    }

    private static string Line(Attachment f) =>
        string.Create(CultureInfo.InvariantCulture, $"    attachment {f.Id}: {f.Name ?? "(no name)"}  {f.ContentType}  {f.Size} bytes")
        + (f.Inline ? "  inline" : "")
        + (f.Dropped is { } reason ? $"  DROPPED: {reason}" : "");

    private static JsonArray Json(IEnumerable<Attachment> list) => new([.. list.Select(f => (JsonNode)new JsonObject
    {
        ["id"] = f.Id,
        ["name"] = f.Name,
        ["contentType"] = f.ContentType,
        ["size"] = f.Size,
        ["inline"] = f.Inline,
        ["dropped"] = f.Dropped,
    })]);
}
