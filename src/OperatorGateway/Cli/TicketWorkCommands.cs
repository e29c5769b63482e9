using System.CommandLine;
using System.Globalization;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Attachments;

namespace TicketGateway.OperatorGateway.Cli;

/// <summary><c>ticketgw tickets note|merge|attachment save</c>: agents' work on a ticket besides answering it.</summary>
internal static class TicketWorkCommands
{
    private static string Actor => CliActor.Current;

    private static readonly Argument<string> Reference = CliSymbols.Argument("REF", "the ticket reference");

    public static void AddTo(Command tickets)
    {
        tickets.Add(Note());
        tickets.Add(Merge());
        tickets.Add(Attachment());
    }

    private static Command Note()
    {
        var text = CliSymbols.Value("--text", "T", "the note (required); agents see it, the customer and the operator never do");
        var note = new Command("note", "record an internal note for agents; nothing is sent") { Reference, text };
        CliSession.SetAction(note, async (p, s, ct) =>
        {
            var tickets = s.Services.GetRequiredService<TicketService>();
            var reference = p.GetValue(Reference)!;
            await tickets.AddNoteAsync(reference, p.Required(text), Actor, ct);
            s.Output.WriteLine($"{TicketReference.Format(TicketService.ParseReference(reference))}: internal note recorded (not sent).");
            return 0;
        });
        return note;
    }

    private static Command Merge()
    {
        var into = CliSymbols.Value("--into", "REF", "the ticket that carries on (required)");
        var merge = new Command("merge", "merge a duplicate ticket into another: messages, attachments and history move, the duplicate is closed")
        {
            Reference, into,
        };
        CliSession.SetAction(merge, async (p, s, ct) =>
        {
            var tickets = s.Services.GetRequiredService<TicketService>();
            var source = p.GetValue(Reference)!;
            var target = await tickets.MergeAsync(source, p.Required(into), Actor, ct);
            s.Output.WriteLine($"{TicketReference.Format(TicketService.ParseReference(source))} merged into {target.Ref} and closed; later mail to it goes to {target.Ref}.");
            return 0;
        });
        return merge;
    }

    private static Command Attachment()
    {
        var id = CliSymbols.Argument("ID", "the attachment id ('tickets show' lists them)");
        var output = CliSymbols.Value("--out", "FILE", "where to write the bytes (default: the attachment's name, made safe, in the current folder)");
        var force = new Option<bool>("--force") { Description = "overwrite an existing file" };
        var save = new Command("save", "write an attachment's bytes to a file") { Reference, id, output, force };
        CliSession.SetAction(save, (p, s) =>
        {
            var idText = p.GetValue(id)!;
            if (!long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var attachmentId) || attachmentId < 1)
            {
                throw new CliException($"tickets attachment save: '{idText}' is not an attachment id; ids are positive whole numbers.");
            }

            var (attachment, content) = s.Services.GetRequiredService<TicketService>().AttachmentContent(p.GetValue(Reference)!, attachmentId);
            var path = p.GetValue(output) is { Length: > 0 } given ? given : AttachmentFileName.Sanitise(attachment.Name, attachment.Id);
            if (Directory.Exists(path))
            {
                path = Path.Combine(path, AttachmentFileName.Sanitise(attachment.Name, attachment.Id));
            }

            try
            {
                // CreateNew refuses an existing file atomically: no check-then-write race.
                using var file = new FileStream(path, p.GetValue(force) ? FileMode.Create : FileMode.CreateNew, FileAccess.Write);
                file.Write(content);
            }
            catch (IOException) when (!p.GetValue(force) && File.Exists(path))
            {
                throw new CliException($"tickets attachment save: {path} exists; give --force to overwrite it or --out FILE.");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"tickets attachment save: cannot write {path}: {ex.Message}");
            }

            s.Output.WriteLine($"{content.Length} bytes written to {path}.");
            return 0;
        });
        var attachmentCommand = new Command("attachment", "the files of a ticket's messages");
        attachmentCommand.Add(save);
        return attachmentCommand;
    }
}
