using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;
using Microsoft.AspNetCore.Mvc.Filters;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>A form posted without its antiforgery token (or with an expired one): nothing was done, and the page says why.</summary>
internal sealed class AntiforgeryFailureFilter : IAlwaysRunResultFilter
{
    public void OnResultExecuting(ResultExecutingContext context)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            var text = context.HttpContext.RequestServices.GetRequiredService<WebText>();
            context.Result = new ContentResult
            {
                StatusCode = StatusCodes.Status400BadRequest,
                ContentType = "text/plain; charset=utf-8",
                Content = text["The form has expired or did not come from this console; nothing was changed. Go back, reload the page and try again."],
            };
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}
