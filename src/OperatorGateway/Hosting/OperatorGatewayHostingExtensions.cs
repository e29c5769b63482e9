using System.Net.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using TicketGateway.OperatorGateway.Complaints;
using TicketGateway.OperatorGateway.Grpc;
using TicketGateway.OperatorGateway.Operators;
using TicketGateway.OperatorGateway.Updates;
using TicketGateway.Protos.Operator.V1;
using TicketGateway.Tickets;
using TicketGateway.Tickets.Storage;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>Registers and maps the gateway's network surface.</summary>
internal static class OperatorGatewayHostingExtensions
{
    public static IHostApplicationBuilder AddOperatorGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc(o => o.EnableDetailedErrors = false)
            .AddServiceOptions<ComplaintExchangeService>(o => o.Interceptors.Add<OperatorAuthInterceptor>())
            // Reflection describes the contract to an operator's tools (grpcurl): with the operator's
            // credentials, like every other call, in both versions tools use. Health stays open for probes and load balancers.
            .AddServiceOptions<global::Grpc.Reflection.ReflectionServiceImpl>(o => o.Interceptors.Add<OperatorAuthInterceptor>())
            .AddServiceOptions<global::Grpc.Reflection.ReflectionV1ServiceImpl>(o => o.Interceptors.Add<OperatorAuthInterceptor>());
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton<global::Grpc.AspNetCore.Server.Model.IServiceMethodProvider<ComplaintExchangeService>, ExchangeMethodProvider>();
        // grpc-dotnet logs every non-OK status at Information, which would be a line per refused call of a
        // caller trying keys; the interceptor logs refusals itself, in summary, and the service its own errors.
        builder.Logging.AddFilter("Grpc.AspNetCore.Server.ServerCallHandler", LogLevel.Warning);
        builder.Services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag])
            .AddCheck<SchemaHealthCheck>("schema", tags: [ReadyTag]);
        builder.Services.AddGrpcHealthChecks();
        builder.AddOperatorUpdates();

        var services = builder.Services;
        services.AddOptions<OperatorsOptions>().Configure(o => builder.Configuration.GetSection(OperatorsOptions.Section).Bind(o.List)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OperatorsOptions>, OperatorsOptionsValidator>();
        services.AddOptions<ComplaintOptions>().Bind(builder.Configuration.GetSection(ComplaintOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ComplaintOptions>, ComplaintOptionsValidator>();
        services.AddSingleton<OperatorDirectory>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddSingleton<OperatorAuthInterceptor>();
        services.AddSingleton<RequestValidation>();
        services.AddSingleton<ComplaintDesk>();
        services.AddSingleton<OperatorCircuits>();
        AddOperatorClients(builder);
        return builder;
    }

    /// <summary>
    /// What every process that changes tickets needs, the CLI included: the observer that queues
    /// <c>progress</c> and <c>resolved</c> updates in the transaction of the change.
    /// </summary>
    public static IHostApplicationBuilder AddOperatorUpdates(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DeliveryOptions>().Bind(builder.Configuration.GetSection(DeliveryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.TryAddSingleton<UpdateMessages>();
        services.TryAddSingleton<UpdateQueue>();
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<UpdateRetry>();
        // Agents record refunds on the CLI and in the console alike.
        services.TryAddSingleton<ComplaintRefunds>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITicketObserver, OperatorTicketObserver>());
        // The exchange's tables (complaints, attachments, the update outbox) for every process that queues updates.
        services.AddSchema(ExchangeSchema.Module);
        return builder;
    }

    public static WebApplication MapOperatorGateway(this WebApplication app)
    {
        app.MapGrpcService<ComplaintExchangeService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        // Liveness: every check (the mailbox connection included); 503 when one is unhealthy.
        app.MapHealthChecks("/healthz", Probe(null)).WithMetadata(ProbeEndpoint.Instance);
        // Readiness: the store answers, its schema is this version's, and who leads the mailbox.
        app.MapHealthChecks("/readyz", Probe(r => r.Tags.Contains(ReadyTag))).WithMetadata(ProbeEndpoint.Instance);
        return app;
    }

    /// <summary>The tag of the checks <c>/readyz</c> runs.</summary>
    public const string ReadyTag = "ready";

    private static Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions Probe(Func<HealthCheckRegistration, bool>? predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = HealthzWriter.WriteAsync,
    };

    /// <summary>
    /// The delivery worker, and one named gRPC client per operator with a transport pipeline of its own: a timeout per
    /// attempt and a circuit breaker on transport failures. No retry at this layer: the outbox
    /// retries with backoff, and two retry layers would multiply the calls.
    /// </summary>
    private static void AddOperatorClients(IHostApplicationBuilder builder)
    {
        var operators = builder.Configuration.GetSection(OperatorsOptions.Section).Get<List<OperatorOptions>>() ?? [];
        if (operators.Count == 0)
        {
            return; // Nobody to deliver to: no clients, no delivery worker.
        }

        NodeHeartbeat.Add(builder.Services);
        builder.Services.AddHostedService<UpdateDeliveryService>();

        // Mutual TLS: an operator's pinned certificate is accepted even when self-signed (operators
        // often issue their own); any other must chain to a trusted CA, and the interceptor still
        // refuses a certificate no operator is configured with.
        var pinned = operators.Select(o => o.ClientCertificateThumbprint).OfType<string>().Where(t => t.Length > 0)
            .Select(t => t.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            https.ClientCertificateValidation = (certificate, _, errors) =>
                errors == SslPolicyErrors.None || pinned.Contains(certificate.Thumbprint.ToUpperInvariant())));
        foreach (var op in operators.Where(o => !string.IsNullOrEmpty(o.Id)))
        {
            builder.Services
                .AddGrpcClient<ComplaintResultReceiver.ComplaintResultReceiverClient>(op.Id, o =>
                {
                    if (Uri.TryCreate(op.CallbackAddress, UriKind.Absolute, out var address))
                    {
                        o.Address = address;
                    }
                })
                // Every call carries our key for the operator (never logged). Over a plain http:// callback the
                // operator chose not to use TLS; grpc-dotnet sends call credentials there only when told to.
                .AddCallCredentials((_, metadata) =>
                {
                    metadata.Add("authorization", "Bearer " + op.CallbackApiKey);
                    return Task.CompletedTask;
                })
                .ConfigureChannel(o => o.UnsafeUseInsecureChannelCallCredentials = op.CallbackAddress.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
                .ConfigurePrimaryHttpMessageHandler(() => CallbackHandler(op))
                .AddResilienceHandler("transport", (pipeline, context) =>
                {
                    var d = context.ServiceProvider.GetRequiredService<IOptions<DeliveryOptions>>().Value;
                    pipeline
                        .AddTimeout(d.AttemptTimeout)
                        .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                        {
                            FailureRatio = d.CircuitFailureRatio,
                            MinimumThroughput = d.CircuitMinimumThroughput,
                            SamplingDuration = d.CircuitSamplingDuration,
                            BreakDuration = d.CircuitBreakDuration,
                        });
                });
        }
    }

    /// <summary>The connection to an operator's receiver: HTTP/2 as gRPC needs, with our client certificate where configured.</summary>
    internal static SocketsHttpHandler CallbackHandler(OperatorOptions op)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (!string.IsNullOrEmpty(op.CallbackClientCertificate))
        {
            // Loaded again with each new handler (every few minutes), so a renewed certificate file is picked up.
            handler.SslOptions.ClientCertificates = [CallbackCertificate.Load(op)];
        }

        return handler;
    }
}
