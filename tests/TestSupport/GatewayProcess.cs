using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace TicketGateway.TestSupport;

/// <summary>
/// The real <c>ticketgw</c> executable, run in a temporary working folder (so its relative
/// <c>data/ticketgw.db</c> is private to the test): CLI commands, or the server on a free port.
/// </summary>
internal sealed partial class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log;

    // The builder the output handlers keep appending to, so Log shows what the process wrote up to now.
    private GatewayProcess(Process process, string url, string? webUrl, StringBuilder log)
    {
        _process = process;
        Url = url;
        WebUrl = webUrl;
        _log = log;
    }

    /// <summary>The gRPC endpoint.</summary>
    public string Url { get; }

    /// <summary>The web console's endpoint, when the test enabled it (<see cref="WebEnvironment"/>).</summary>
    public string? WebUrl { get; }

    /// <summary>
    /// The settings that turn the web console on at a port the OS picks; without them the fixture turns it
    /// off, so parallel gateways never contend for its default port.
    /// </summary>
    public static Dictionary<string, string> WebEnvironment() => new()
    {
        ["Web__Enabled"] = "true",
        ["Kestrel__Endpoints__Web__Url"] = "http://127.0.0.1:0",
    };

    public int Pid => _process.Id;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// The <c>ticketgw.dll</c> the tests start: <c>TICKETGW_TEST_EXECUTABLE</c> when set (scripts/test.sh sets the
    /// ReadyToRun publish of the same sources there, as production installs it), else the build output next to the tests.
    /// </summary>
    public static string Executable { get; } = FindExecutable();

    private static string FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("TICKETGW_TEST_EXECUTABLE");
        if (string.IsNullOrEmpty(configured))
        {
            return Path.Combine(AppContext.BaseDirectory, "ticketgw.dll");
        }

        return File.Exists(configured)
            ? configured
            : throw new InvalidOperationException($"TICKETGW_TEST_EXECUTABLE names '{configured}', which does not exist; publish it (scripts/test.sh) or unset the variable.");
    }

    /// <summary>
    /// Runs a CLI command where a store exists, as at a desk that ran <c>serve</c> or <c>init</c> once:
    /// before the first command on a store not made yet, the store is made (<see cref="PrepareStoreAsync"/>).
    /// </summary>
    public static async Task<CliResult> RunCliAsync(string workDir, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var config = args.Length >= 2 && args[0] == "--config" ? args[..2] : [];
        var command = args.Length > config.Length ? args[config.Length] : "serve";
        if (command is not ("init" or "serve" or "help") && !command.Contains('=', StringComparison.Ordinal)
            && !command.StartsWith("--", StringComparison.Ordinal) && !File.Exists(Path.Combine(workDir, "data", "ticketgw.db")))
        {
            await PrepareStoreAsync(workDir, environment, config);
        }

        return await RunCliBareAsync(workDir, environment, args);
    }

    /// <summary>
    /// Makes the store the environment names, as <c>ticketgw init</c> would: a copy of a fresh store
    /// (<see cref="StoreTemplates"/>) where it is certainly new and the test's own, else <c>init</c> itself with the
    /// same environment and <c>--config</c> (whose result is left to the next command to report).
    /// </summary>
    public static async Task<CliResult?> PrepareStoreAsync(string workDir, IReadOnlyDictionary<string, string>? environment, string[]? config = null)
    {
        if (config is { Length: 0 } or null && await StoreTemplates.TryCreateAsync(workDir, environment))
        {
            return null;
        }

        return await RunCliBareAsync(workDir, environment, [.. config ?? [], "init"]);
    }

    /// <summary>A test's store made before its first command (<see cref="PrepareStoreAsync"/>); the test fails when that does not work.</summary>
    public static async Task InitStoreAsync(string workDir, IReadOnlyDictionary<string, string>? environment)
    {
        var result = await PrepareStoreAsync(workDir, environment);
        Assert.True(result is null || result.ExitCode == 0, $"ticketgw init exited {result?.ExitCode}: {result?.Stderr}");
    }

    /// <summary>Runs a CLI command as given, without preparing a store.</summary>
    public static async Task<CliResult> RunCliBareAsync(string workDir, IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = StartInfo(workDir, environment, args);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<CliResult> RunCliAsync(string workDir, params string[] args) => RunCliAsync(workDir, null, args);

    /// <summary>Runs a CLI command as given, with <paramref name="input"/> on its standard input (then closed).</summary>
    public static async Task<CliResult> RunCliWithInputAsync(string workDir, IReadOnlyDictionary<string, string>? environment, string input, params string[] args)
    {
        var start = StartInfo(workDir, environment, args);
        start.RedirectStandardInput = true;
        start.StandardInputEncoding = new UTF8Encoding(false);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(input.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts <c>ticketgw serve</c> on 127.0.0.1 with a port the OS picks, and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(string workDir, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string>(environment ?? new Dictionary<string, string>());
        // A test may bring its own endpoint (https, for TLS); the port is always the OS's choice.
        env.TryAdd("Kestrel__Endpoints__Grpc__Url", "http://127.0.0.1:0");
        var web = env.TryGetValue("Web__Enabled", out var enabled) && enabled == "true";
        var process = Process.Start(StartInfo(workDir, env, ["serve"]))!;
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var webListening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var urls = new List<string>();
        var log = new StringBuilder();
        void OnLine(string? line)
        {
            if (line is null)
            {
                listening.TrySetException(new InvalidOperationException("ticketgw exited before listening:\n" + log));
                webListening.TrySetException(new InvalidOperationException("ticketgw exited before listening:\n" + log));
                return;
            }

            lock (log)
            {
                log.AppendLine(line);
            }

            if (ListeningPattern().Match(line) is { Success: true } m)
            {
                lock (urls)
                {
                    urls.Add(m.Groups[1].Value);
                }

                if (!web)
                {
                    listening.TrySetResult(m.Groups[1].Value);
                }
            }
            else if (web && WebListeningPattern().Match(line) is { Success: true } w)
            {
                // Logged once Kestrel listens on every endpoint: the gRPC endpoint is the other one.
                lock (urls)
                {
                    listening.TrySetResult(urls.First(u => u != w.Groups[1].Value));
                }

                webListening.TrySetResult(w.Groups[1].Value);
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (log)
                {
                    log.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var url = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var webUrl = web ? await webListening.Task.WaitAsync(TimeSpan.FromSeconds(30)) : null;
            // The same buffer keeps collecting: Log shows what the process wrote up to now, not only until it listened.
            return new GatewayProcess(process, url, webUrl, log);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGTERM, as systemd stops a service, and waits (bounded) for the process to finish its shutdown.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>How every test starts <c>ticketgw</c>: in <paramref name="workDir"/>, output redirected, the web console off unless the environment turns it on.</summary>
    public static ProcessStartInfo StartInfo(string workDir, IReadOnlyDictionary<string, string>? environment, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(Executable);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Test";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Test";
        // The web console's default endpoint (127.0.0.1:5081) would clash between parallel tests; a test turns it on with WebEnvironment().
        start.Environment["Web__Enabled"] = "false";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        return start;
    }

    [GeneratedRegex(@"Now listening on: (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningPattern();

    [GeneratedRegex(@"Web console listening on (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex WebListeningPattern();
}
