using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketGateway.Tickets.Kpis;

/// <summary>
/// Subject comparison for the repeat-complaint rule. Two subjects are the same when their normal
/// forms are equal, or one contains the other and the shorter has at least
/// <see cref="MinContained"/> characters. The normal form: Unicode NFKC (full-width letters and
/// digits become ASCII), lower case, reply and forward prefixes removed (Re:, Fw:, Fwd:, 回复:, 答复:,
/// 转发:, any number of them), ticket references ([TG-000123]) removed, and every character that is
/// not a letter or digit removed (spaces, punctuation, brackets, Chinese punctuation).
/// </summary>
public static partial class SubjectKey
{
    /// <summary>The shortest normal form that may match by containment (four Chinese characters, e.g. 扣费投诉).</summary>
    public const int MinContained = 4;

    /// <summary>The normal form of a subject.</summary>
    public static string Normalise(string subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var s = subject.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        s = TicketRef().Replace(s, " ");
        while (Prefix().Match(s) is { Success: true } m)
        {
            s = s[m.Length..];
        }

        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            if (char.IsLetterOrDigit(ch))
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }

    /// <summary>Whether two subjects are about the same thing.</summary>
    public static bool Same(string a, string b)
    {
        var x = Normalise(a);
        var y = Normalise(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return false;
        }

        if (x == y)
        {
            return true;
        }

        var (shorter, longer) = x.Length <= y.Length ? (x, y) : (y, x);
        return new StringInfo(shorter).LengthInTextElements >= MinContained && longer.Contains(shorter, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^\s*(re|fw|fwd|aw|回复|答复|转发)\s*[:：]\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Prefix();

    [GeneratedRegex(@"\[?tg-\d+\]?", RegexOptions.IgnoreCase)]
    private static partial Regex TicketRef();
}
