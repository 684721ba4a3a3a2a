using System.Diagnostics.Tracing;

namespace Emu.Jit;

/// <summary>
/// EMU_STATS=jit: prints every method the host runtime JIT-compiles (name and IL size) to stderr, to find
/// translator code that ReadyToRun did not precompile and that therefore costs start-up time.
/// </summary>
public sealed class JitEventLog : EventListener
{
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private static JitEventLog? s_instance;

    public static void EnableIfRequested()
    {
        if (Environment.GetEnvironmentVariable("EMU_STATS") == "jit") s_instance ??= new JitEventLog();
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, JitKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName != "MethodJittingStarted_V1" || e.Payload is not { Count: >= 6 } p) return;
        Console.Error.WriteLine($"jit: {p[4]}.{p[5]} IL {p[3]}");
    }
}
