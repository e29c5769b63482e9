using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using TicketGateway.OperatorGateway.Cli;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Agents;

namespace TicketGateway.OperatorGateway.Web;

/// <summary>The web console: Razor Pages on Kestrel's endpoint <c>Web</c>, signed in with the agents' accounts.</summary>
internal static class WebConsoleHostingExtensions
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Registers the console when <c>Web:Enabled</c> (the default), with its endpoint defaulting to <see cref="WebOptions.DefaultUrl"/>.</summary>
    public static IHostApplicationBuilder AddWebConsole(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebOptions>().Bind(builder.Configuration.GetSection(WebOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        var configured = builder.Configuration.GetSection($"Kestrel:Endpoints:{WebEndpoint.Name}").Exists();
        if (!Enabled(builder.Configuration))
        {
            return configured
                ? throw new InvalidDataException($"Web:Enabled is false but Kestrel:Endpoints:{WebEndpoint.Name} is configured; remove one of them.")
                : builder;
        }

        if (!configured)
        {
            // The default endpoint, below every other source so any of them can move it.
            builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = new Dictionary<string, string?>
                {
                    [$"Kestrel:Endpoints:{WebEndpoint.Name}:Url"] = WebOptions.DefaultUrl,
                    [$"Kestrel:Endpoints:{WebEndpoint.Name}:Protocols"] = nameof(HttpProtocols.Http1AndHttp2),
                },
            });
        }

        var endpoint = new WebEndpoint();
        services.AddSingleton(endpoint);
        services.Configure<KestrelServerOptions>(endpoint.Configure);
        services.AddSingleton<SetupToken>();
        services.AddSingleton<WebText>();
        // Chinese as UTF-8 in the pages, not as &#x...; entities (markup characters are still encoded).
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSingleton(sp => new TimeFormat(sp.GetRequiredService<Tickets.Sla.DeadlineCalculator>().Zone));
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            o.Conventions.AuthorizeFolder("/", WebPolicies.Agent);
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/Setup");
            // An expired or missing antiforgery token: a page saying so (400), not an empty answer.
            o.Conventions.ConfigureFilter(new AntiforgeryFailureFilter());
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ticketgw.af";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "ticketgw.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidateAccountAsync;
            o.Events.OnRedirectToAccessDenied = ForbiddenAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<IOptions<WebOptions>>((o, web) => o.ExpireTimeSpan = web.Value.SessionIdleTimeout);
        services.AddAuthorization(WebPolicies.Add);
        var keys = services.AddDataProtection().SetApplicationName("ticketgw");
        if (builder.Configuration[$"{WebOptions.Section}:{nameof(WebOptions.KeyFolder)}"] is { Length: > 0 } folder)
        {
            keys.PersistKeysToFileSystem(new DirectoryInfo(folder));
        }

        return builder;
    }

    /// <summary>Maps the console (when enabled): pages, file downloads, static files, and the endpoint separation.</summary>
    public static WebApplication MapWebConsole(this WebApplication app)
    {
        if (app.Services.GetService<WebEndpoint>() is not { } endpoint)
        {
            return app;
        }

        app.Lifetime.ApplicationStarted.Register(() => Announce(app.Services, endpoint));
        app.Use((context, next) =>
        {
            var web = WebEndpoint.Serves(context);
            if (context.GetEndpoint() is { } routed && routed.Metadata.GetMetadata<Hosting.ProbeEndpoint>() is null
                && web != routed.Metadata.GetMetadata<WebConsoleEndpoint>() is not null)
            {
                // The web endpoint serves pages and the probes only (no gRPC); the gRPC endpoint serves no pages.
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            if (web)
            {
                SecurityHeaders.Add(context);
                ServerTiming.Add(context);
            }

            return next(context);
        });
        app.UseWhen(WebEndpoint.Serves, web => web
            .UseRequestLocalization(Localization())
            .UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new EmbeddedFileProvider(typeof(WebConsoleHostingExtensions).Assembly, "web"),
                RequestPath = "/static",
            }));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages().WithMetadata(WebConsoleEndpoint.Instance);
        app.MapGet("/tickets/{reference}/files/{id:long}", AttachmentDownload.Send)
            .RequireAuthorization(WebPolicies.Agent).WithMetadata(WebConsoleEndpoint.Instance);
        app.MapGet("/tickets/{reference}/files/{id:long}/image", AttachmentImage.Send)
            .RequireAuthorization(WebPolicies.Agent).WithMetadata(WebConsoleEndpoint.Instance);
        return app;
    }

    private static bool Enabled(IConfiguration configuration) =>
        !bool.TryParse(configuration[$"{WebOptions.Section}:{nameof(WebOptions.Enabled)}"], out var enabled) || enabled;

    private static RequestLocalizationOptions Localization()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture("zh-CN"),
            SupportedCultures = [new CultureInfo("zh-CN"), new CultureInfo("en")],
            SupportedUICultures = [new CultureInfo("zh-CN"), new CultureInfo("en")],
            FallBackToParentUICultures = true,
            FallBackToParentCultures = true,
        };
        // A language the agent chose on the page (cookie), else the browser's Accept-Language; no query string.
        options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        return options;
    }

    private static void Announce(IServiceProvider services, WebEndpoint endpoint)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("TicketGateway.OperatorGateway.Web");
        if (endpoint.Url is not { } url)
        {
            return;
        }

        Log.WebConsoleListening(logger, url);
        if (services.GetRequiredService<AgentAccounts>().List().Count == 0)
        {
            Log.WebSetupToken(logger, url, services.GetRequiredService<SetupToken>().Value);
        }
    }

    /// <summary>
    /// Every request of a session checks the account in the store: a disabled or removed account is
    /// signed out at once, and a changed role applies at once.
    /// </summary>
    private static async Task ValidateAccountAsync(CookieValidatePrincipalContext context)
    {
        var login = context.Principal?.FindFirstValue(ClaimTypes.Name);
        var account = login is null ? null : context.HttpContext.RequestServices.GetRequiredService<AgentAccounts>().Find(login);
        if (account is not { Active: true })
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }

        if (!context.Principal!.IsInRole(Names.Of(account.Role)))
        {
            context.ReplacePrincipal(Principal(account));
            context.ShouldRenew = true;
        }
    }

    public static ClaimsPrincipal Principal(AgentAccount account) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, account.Login), new Claim(ClaimTypes.GivenName, account.Name), new Claim(ClaimTypes.Role, Names.Of(account.Role))],
        Scheme, ClaimTypes.Name, ClaimTypes.Role));

    // Beyond the role: 403 with a line saying so, never a redirect to a page the agent may not see either.
    private static Task ForbiddenAsync(RedirectContext<CookieAuthenticationOptions> context)
    {
        var http = context.HttpContext;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("TicketGateway.OperatorGateway.Web");
        Log.WebForbidden(logger, http.User.Identity?.Name ?? "-", http.Request.Path, http.User.FindFirstValue(ClaimTypes.Role) ?? "-");
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/plain; charset=utf-8";
        return http.Response.WriteAsync(http.RequestServices.GetRequiredService<WebText>()["Your role does not allow this."]);
    }
}
