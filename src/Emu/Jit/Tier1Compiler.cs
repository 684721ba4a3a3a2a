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

    /// <summary>Finds already translated blocks by PC, to grow regions; null compiles single blocks.</summary>
    public Func<ulong, TranslatedBlock?>? Lookup { get; set; }

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
        long start = Stats.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        BlockCode? code = null;
        // A block already inside a region compiles alone: the region's head is where its loop is entered.
        var members = Lookup != null && _options.MaxRegionBlocks > 0 && !block.InRegion ? RegionBuilder.Collect(block, Lookup, _options.MaxRegionBlocks, _options.MaxRegionInstructions) : null;
        if (members != null)
        {
            // Published before the members are checked, so an invalidation from now on also drops this block.
            block.RegionMembers = members;
            code = IlCompiler.CompileRegion(members.Select(m => m.Ir).ToArray());
            if (members.Any(m => m.Invalidated)) code = null;
            if (code != null)
            {
                foreach (var m in members) m.InRegion = true;
                Stats.Count(ref Stats.RegionCompiles);
            }
        }
        if (code == null)
        {
            block.RegionMembers = null;
            code = IlCompiler.Compile(block.Ir);
            IlCompiler.Prejit(code);
        }
        block.Compiled = code;
        if (Stats.Enabled)
        {
            Stats.Count(ref Stats.Tier1Compiles);
            Interlocked.Add(ref Stats.CompileTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }
}
