using System.Net;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace TicketGateway.OperatorGateway.Kpis;

/// <summary>
/// A Scriban context for HTML pages in which escaping is the default, not the template author's
/// memory: every value an expression writes (<c>{{ x }}</c>, a loop variable, a function's result) is
/// HTML-encoded on its way to the output. Only the template's own literal text is written as is.
/// There is deliberately no way to write a value raw, and no builtin functions (so no
/// <c>html.escape</c> to double-encode with, and no string functions to build markup from data):
/// a page needing markup from data gets it as template text choosing among plain values.
/// </summary>
/// <remarks>
/// Scriban writes expression values through <see cref="TemplateContext.Write(SourceSpan, object)"/>
/// and literal text through the non-virtual string overloads, so overriding the former covers every
/// value and nothing else. A <c>capture</c> holds already-encoded text and would be encoded twice if
/// written again: the safe way to be wrong.
/// </remarks>
internal sealed class HtmlTemplateContext : TemplateContext
{
    public HtmlTemplateContext()
        : base(new ScriptObject())
    {
        // A misspelt name fails the render instead of leaving a cell silently empty.
        StrictVariables = true;
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) =>
        textAsObject is null ? this : Write(Encode(textAsObject));

    public override ValueTask<TemplateContext> WriteAsync(SourceSpan span, object? textAsObject) =>
        textAsObject is null ? ValueTask.FromResult<TemplateContext>(this) : WriteAsync(Encode(textAsObject));

    // WebUtility's encoding (< > & " ' and Latin-1 as numeric entities; Chinese stays readable) is
    // the one the report has always used, so the page's bytes do not change.
    private string Encode(object value) => WebUtility.HtmlEncode(ObjectToString(value) ?? "");
}
