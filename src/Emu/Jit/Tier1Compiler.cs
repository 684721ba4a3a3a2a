using System.Collections.Concurrent;

namespace Emu.Jit;

/// <summary>
/// Compiles hot blocks to Tier 1 (IR → IL → RyuJIT) on a background thread, so the guest thread never
/// waits for a DynamicMethod compile; the compiled delegate is published by one reference write.
/// </summary>
public sealed class Tier1Compiler
{
    private readonly TranslatorOptions _options;
    private readonly BlockingCollection<TranslatedBlock> _queue = new();
    private Thread? _worker;

    public Tier1Compiler(TranslatorOptions options) => _options = options;

    public void Request(TranslatedBlock block)
    {
        if (Interlocked.Exchange(ref block.CompileQueued, 1) != 0) return;
        if (!_options.BackgroundCompile)
        {
            Compile(block);
            return;
        }
        EnsureWorker();
        _queue.Add(block);
    }

    private void EnsureWorker()
    {
        // After fork() the child has no worker thread even though the field is set: restart it then.
        if (_worker is { IsAlive: true }) return;
        lock (_queue)
        {
            if (_worker is { IsAlive: true }) return;
            _worker = new Thread(WorkLoop) { IsBackground = true, Name = "tier1-compiler" };
            _worker.Start();
        }
    }

    private void WorkLoop()
    {
        foreach (var block in _queue.GetConsumingEnumerable())
            if (!block.Invalidated) Compile(block);
    }

    private void Compile(TranslatedBlock block)
    {
        var code = IlCompiler.Compile(block.Ir);
        IlCompiler.Prejit(code);
        if (_options.Log is { } log && _options.OutAsmFormatter is { } format)
            lock (log) log.Write(format(block.StartPc, code));
        block.Compiled = code;
    }
}
