using System.Text;

namespace TicketGateway.MailIntake.Parsing;

/// <summary>
/// The code-page encodings .NET leaves out (GB2312, GBK, GB18030, Big5, ISO-2022-JP), with one
/// correction: every name of the GB2312/GBK family decodes as GB18030. Chinese Outlook declares
/// <c>gb2312</c> while sending characters only GBK or GB18030 have; GB18030 is a superset of both,
/// so reading everything of the family as GB18030 loses nothing and rescues those mails.
/// </summary>
/// <remarks>
/// .NET asks the registered providers in registration order, so the correcting provider must be
/// registered before <see cref="CodePagesEncodingProvider"/>: call <see cref="Register"/> before
/// anything else registers code pages.
/// </remarks>
public static class MailCharsets
{
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>GB18030 (code page 54936).</summary>
    public static Encoding Gb18030 => CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    /// <summary>Registers the encodings, once.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }

            Encoding.RegisterProvider(new GbFamilyProvider());
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            _registered = true;
        }
    }

    /// <summary>The encoding for a charset name, or null when no encoding has that name.</summary>
    public static Encoding? Find(string? name)
    {
        Register();
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var clean = name.Trim().Trim('"');
        if (IsGbFamily(clean))
        {
            // Decided here too, so bodies read right even if someone registered code pages before us.
            return Gb18030;
        }

        try
        {
            return Encoding.GetEncoding(clean);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsGbFamily(string name) =>
        name.ToLowerInvariant() is "gb2312" or "gbk" or "cp936" or "x-gbk" or "euc-cn" or "x-euc-cn" or "csgb2312" or "gb_2312-80" or "windows-936" or "ms936";

    private sealed class GbFamilyProvider : EncodingProvider
    {
        public override Encoding? GetEncoding(int codepage) => codepage is 936 or 20936 ? Gb18030 : null;

        public override Encoding? GetEncoding(string name) => IsGbFamily(name) ? Gb18030 : null;
    }
}
