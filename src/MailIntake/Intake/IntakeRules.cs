using TicketGateway.Tickets;

namespace TicketGateway.MailIntake.Intake;

/// <summary>Kind and complaint level of a new mail ticket, from the configured keyword rules.</summary>
internal sealed class IntakeRules(IntakeOptions options)
{
    private readonly (TicketKind Kind, string[] Keywords)[] _kinds = [.. options.KindRulesInForce().Select(r => (ParseKind(r.Kind), r.Keywords.Where(k => !string.IsNullOrWhiteSpace(k)).ToArray()))];
    private readonly (int Level, string[] Keywords)[] _levels = [.. options.LevelRulesInForce().Select(r => (r.Level, r.Keywords.Where(k => !string.IsNullOrWhiteSpace(k)).ToArray()))];

    /// <summary>The first matching kind rule, or inquiry; and the keyword that decided.</summary>
    public (TicketKind Kind, string? Keyword) Kind(string subject, string text)
    {
        foreach (var (kind, keywords) in _kinds)
        {
            if (Match(keywords, subject, text) is { } keyword)
            {
                return (kind, keyword);
            }
        }

        return (TicketKind.Inquiry, null);
    }

    /// <summary>The first matching level rule, or 1.</summary>
    public (int Level, string? Keyword) Level(string subject, string text)
    {
        foreach (var (level, keywords) in _levels)
        {
            if (Match(keywords, subject, text) is { } keyword)
            {
                return (level, keyword);
            }
        }

        return (1, null);
    }

    /// <summary>The kind named in configuration; the options validator has already refused unknown names.</summary>
    public static TicketKind ParseKind(string name) =>
        Names.TryParse<TicketKind>(name, out var kind) ? kind : throw new InvalidDataException($"Mail:Intake:KindRules: '{name}' is not one of {Names.All<TicketKind>()}.");

    private static string? Match(string[] keywords, string subject, string text)
    {
        foreach (var keyword in keywords)
        {
            if (subject.Contains(keyword, StringComparison.OrdinalIgnoreCase) || text.Contains(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return keyword;
            }
        }

        return null;
    }
}
