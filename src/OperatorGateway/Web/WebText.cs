using System.Collections.Frozen;
using System.Globalization;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>
/// The console's texts: Chinese first, English for an agent whose browser or choice asks for it. The
/// English text is the key; the Chinese is looked up here (a missing entry shows the English, never a blank).
/// </summary>
internal sealed class WebText
{
    // One dictionary per part of the console (WebTextsZh*.cs); a text defined twice fails at start-up.
    private static readonly FrozenDictionary<string, string> Chinese = new Dictionary<string, string>[]
    {
        WebTextsZh.All,
        WebTextsZh.Figures,
        WebTextsZh.TicketActions,
        WebTextsZh.LeadPages,
    }.SelectMany(d => d).ToDictionary(StringComparer.Ordinal).ToFrozenDictionary(StringComparer.Ordinal);

    // An instance member so pages read it through the injected T like the texts themselves.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Read by the views through the injected instance.")]
    /// <summary>The language of this request: <c>zh-CN</c> or <c>en</c>.</summary>
    public string Language => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh-CN";

    public string this[string english] => Language == "en" || !Chinese.TryGetValue(english, out var zh) ? english : zh;

    public string Format(string english, params object?[] values) => string.Format(CultureInfo.CurrentCulture, this[english], values);
}
