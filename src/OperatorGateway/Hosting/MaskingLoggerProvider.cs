using System.Collections;
using System.Globalization;

namespace TicketGateway.OperatorGateway.Hosting;

/// <summary>
/// Wraps a logger provider (the console, in the simple or the JSON formatter) so that every message,
/// every structured value, every scope and every exception text it writes has its phone numbers and email addresses
/// masked (<see cref="PersonalData"/>). Off with <c>Logging:ShowPersonalData=true</c>.
/// </summary>
internal sealed class MaskingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) => new MaskingLogger(inner.CreateLogger(categoryName));

    // The factory pushes scopes (an ASP.NET Core request's path, say) into this provider, not through the
    // logger; the formatters read them back through it, so that is where they are masked.
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(new MaskingScopeProvider(scopeProvider));

    public void Dispose() => inner.Dispose();

    /// <summary>
    /// Wraps every logger provider registered so far (call after the providers are added), unless
    /// <c>Logging:ShowPersonalData</c> is true.
    /// </summary>
    public static void WrapAll(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>("Logging:ShowPersonalData"))
        {
            return;
        }

        foreach (var d in services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList())
        {
            services.Remove(d);
            services.Add(ServiceDescriptor.Singleton<ILoggerProvider>(sp => new MaskingLoggerProvider(
                d.ImplementationInstance as ILoggerProvider
                ?? d.ImplementationFactory?.Invoke(sp) as ILoggerProvider
                ?? (ILoggerProvider)ActivatorUtilities.CreateInstance(sp, d.ImplementationType!))));
        }
    }

    private sealed class MaskingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var masked = new MaskedState(state, PersonalData.Mask(formatter(state, exception)));
            inner.Log(logLevel, eventId, masked, exception is null ? null : new MaskedException(exception), static (s, _) => s.Message);
        }
    }

    /// <summary>Hands the formatters every scope masked: structured values one by one, any other scope as its text.</summary>
    private sealed class MaskingScopeProvider(IExternalScopeProvider inner) : IExternalScopeProvider
    {
        public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
            inner.ForEachScope(static (scope, s) => s.Callback(Masked(scope), s.State), (Callback: callback, State: state));

        public IDisposable Push(object? state) => inner.Push(state);

        private static object? Masked(object? scope) => scope switch
        {
            null => null,
            IEnumerable<KeyValuePair<string, object?>> => new MaskedState(scope, PersonalData.Mask(scope.ToString() ?? "")),
            _ => PersonalData.Mask(Convert.ToString(scope, CultureInfo.InvariantCulture) ?? ""),
        };
    }

    /// <summary>The message and the structured values (what the JSON formatter writes as <c>State</c>), masked.</summary>
    private sealed class MaskedState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly List<KeyValuePair<string, object?>> _values = [];

        public MaskedState(object? state, string message)
        {
            Message = message;
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                foreach (var (key, value) in values)
                {
                    _values.Add(new(key, key == "{OriginalFormat}" ? value : Mask(value)));
                }
            }
        }

        public string Message { get; }

        public int Count => _values.Count;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;

        // A value that prints the same masked stays itself (a number stays a number in JSON).
        private static object? Mask(object? value)
        {
            if (value is null or bool)
            {
                return value;
            }

            var text = value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            var masked = PersonalData.Mask(text);
            return ReferenceEquals(masked, text) || masked == text ? value : masked;
        }
    }

    /// <summary>An exception whose text (what formatters print) is the original's, masked.</summary>
    private sealed class MaskedException(Exception original) : Exception(PersonalData.Mask(original.Message))
    {
        public override string? StackTrace => original.StackTrace;

        public override string ToString() => PersonalData.Mask(original.ToString());
    }
}
