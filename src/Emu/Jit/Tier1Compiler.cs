using System.Collections.Concurrent;

namespace Emu.Jit;

/// <summary>
/// Compiles hot blocks to Tier 1 (IR → IL → RyuJIT) on a background thread, so the guest thread never
/// waits for a DynamicMethod compile; the compiled delegate is published by one reference write.
/// </summary>
public sealed class Tier1Compiler
{
    private readonly TranslatorOptions _options;
    private readonly object _workerLock = new();
    private BlockingCollection<TranslatedBlock> _queue = new();
    private Thread? _worker;
    private long _workerPid;

    /// <summary>
    /// Held while a block is being compiled, and by the Linux layer around fork(): a child forked while
    /// RyuJIT held its locks on another thread would deadlock at its first compile.
    /// </summary>
    public static readonly object ForkLock = new();

    /// <summary>Set once the guest has several threads: compile single blocks, not regions.</summary>
    public static volatile bool SingleBlocksOnly;

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
        EnsureWorker().Add(block);
    }

    private BlockingCollection<TranslatedBlock> EnsureWorker()
    {
        // After fork() the child has no worker thread although the Thread object says it is alive, and
        // the old queue may have been mid-operation: a child starts a fresh queue and worker.
        long pid = Linux.Native.LibC.SyscallRaw(39 /* getpid */);
        if (_worker != null && _workerPid == pid) return _queue;
        lock (_workerLock)
        {
            if (_worker != null && _workerPid == pid) return _queue;
            var queue = new BlockingCollection<TranslatedBlock>();
            _queue = queue;
            _workerPid = pid;
            _worker = new Thread(() => WorkLoop(queue)) { IsBackground = true, Name = "tier1-compiler" };
            _worker.Start();
        }
        return _queue;
    }

    private void WorkLoop(BlockingCollection<TranslatedBlock> queue)
    {
        foreach (var block in queue.GetConsumingEnumerable())
        {
            if (block.Invalidated) continue;
            lock (ForkLock) Compile(block);
        }
    }

    /// <summary>True if the IR calls a helper that takes the context (Tier 1 writes registers back before it).</summary>
    private static bool CallsContextHelper(IR.IrBlock ir) => ir.Insts.Any(i => i.Op == IR.IrOp.Call && i.Helper!.TakesContext);

    private void Compile(TranslatedBlock block)
    {
        long start = Stats.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        BlockCode? code = null;
        // A block already inside a region compiles alone: the region's head is where its loop is entered.
        var members = Lookup != null && _options.MaxRegionBlocks > 0 && !block.InRegion && !SingleBlocksOnly ? RegionBuilder.Collect(block, Lookup, _options.MaxRegionBlocks, _options.MaxRegionInstructions) : null;
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
        if (_options.Log is { } log && _options.OutAsmFormatter is { } format)
            lock (log) log.Write(format(block.StartPc, code));
        block.FaultClean = code.Target is not InterpretedBlock && !(block.RegionMembers ?? [block]).Any(m => CallsContextHelper(m.Ir));
        block.ExitLinks = new TranslatedBlock?[TranslatedBlock.ExitLinkSlots];
        block.Compiled = code;
        if (Stats.Enabled)
        {
            Stats.Count(ref Stats.Tier1Compiles);
            Interlocked.Add(ref Stats.CompileTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
        }
    }
}
