using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace TicketGateway.OperatorGateway.Web.Pages;

/// <summary>The agent's choice of language, kept in a cookie for a year (before it, Accept-Language decides).</summary>
[AllowAnonymous]
internal sealed class LanguageModel : WebPageModel
{
    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        if (culture is "zh-CN" or "en")
        {
            Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = Request.IsHttps, MaxAge = TimeSpan.FromDays(365), IsEssential = true });
        }

        return LocalRedirect(LocalOrQueue(returnUrl));
    }
}
