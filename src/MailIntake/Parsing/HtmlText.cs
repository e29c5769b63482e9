using System.Text;
using Ganss.Xss;
using MimeKit.Text;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>Readable text from HTML-only mail, and the sanitised HTML that is stored.</summary>
public static class HtmlText
{
    // HtmlSanitizer keeps per-call state in its events only; one instance per thread avoids sharing it.
    [ThreadStatic]
    private static HtmlSanitizer? _sanitizer;

    /// <summary>HTML with scripts, event handlers and other active content removed (HtmlSanitizer's safe defaults).</summary>
    public static string Sanitize(string html) => (_sanitizer ??= new HtmlSanitizer()).Sanitize(html);

    /// <summary>Between two cells of a table row: readable in a terminal and in a plain-text mail, and unlike a tab it survives copying.</summary>
    public const string CellSeparator = " | ";

    /// <summary>
    /// The text a reader sees: block elements become line breaks, each table row its own line with
    /// its cells separated by <see cref="CellSeparator"/>, scripts and styles vanish, entities are decoded.
    /// </summary>
    public static string ToText(string html)
    {
        var text = new StringBuilder(html.Length / 2);
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        var skipDepth = 0;
        var cellOpen = false;
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head or HtmlTagId.Title:
                    skipDepth = Math.Max(0, skipDepth + (tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1));
                    break;
                case HtmlTagToken tag when IsBreak(tag.Id):
                    EndLine(text);
                    cellOpen = false;
                    break;
                case HtmlTagToken { IsEndTag: false, Id: HtmlTagId.TD or HtmlTagId.TH }:
                    // A cell after another on the same line (an empty cell adds nothing); a row starts on a fresh line.
                    TrimEndSpace(text);
                    if (cellOpen && text.Length > 0 && text[^1] != '\n')
                    {
                        text.Append(CellSeparator);
                    }

                    cellOpen = true;
                    break;
                case HtmlDataToken data when skipDepth == 0:
                    AppendCollapsed(text, data.Data);
                    break;
            }
        }

        return text.ToString().Trim();
    }

    private static void EndLine(StringBuilder text)
    {
        TrimEndSpace(text);
        if (text.Length > 0 && text[^1] != '\n')
        {
            text.Append('\n');
        }
    }

    private static void TrimEndSpace(StringBuilder text)
    {
        while (text.Length > 0 && text[^1] == ' ')
        {
            text.Length--;
        }
    }

    private static bool IsBreak(HtmlTagId id) => id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR
        or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.H5 or HtmlTagId.H6
        or HtmlTagId.Table or HtmlTagId.BlockQuote or HtmlTagId.Pre or HtmlTagId.HR;

    // HTML collapses runs of white space into one space; a line start needs none.
    private static void AppendCollapsed(StringBuilder text, string data)
    {
        foreach (var c in data)
        {
            if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c == '\u00A0' ? ' ' : c);
            }
        }
    }
}
