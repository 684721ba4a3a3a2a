using System.Collections.Concurrent;
using System.Diagnostics;

namespace Emu.Jit;

/// <summary>
/// Compiles hot blocks to Tier 1 (IR → IL → RyuJIT) on a background thread, so the guest thread never
/// waits for a DynamicMethod compile; the compiled delegate is published by one reference write.
/// </summary>
public sealed class Tier1Compiler
{
    private readonly TranslatorOptions _options;
    private readonly object _workerLock = new();
    private Worker? _worker;

    /// <summary>One worker thread and its queue; the thread belongs to the process that started it.</summary>
    private sealed class Worker(ConcurrentQueue<TranslatedBlock> queue, Tier1Policy pending, long pid)
    {
        public readonly ConcurrentQueue<TranslatedBlock> Queue = queue;
        public readonly SemaphoreSlim Available = new(queue.Count);
        /// <summary>Requests taken off the queue, not yet compiled or dropped (owned by the worker thread).</summary>
        public readonly Tier1Policy Pending = pending;
        public readonly long Pid = pid;
    }

    public Tier1Compiler(TranslatorOptions options) => _options = options;

    /// <summary>Finds already translated blocks by PC, to grow regions; null compiles single blocks.</summary>
    public Func<ulong, TranslatedBlock?>? Lookup { get; set; }

    /// <summary>Told of a region before it is compiled, so invalidating any member's code also finds its head.</summary>
    public Action<TranslatedBlock, TranslatedBlock[]>? RegionCompiling { get; set; }

    public void Request(TranslatedBlock block)
    {
        if (block.CompileQueued != 0 || Interlocked.Exchange(ref block.CompileQueued, 1) != 0) return;
        // Queued: the dispatcher stops asking (a dropped request lowers this again).
        block.TierUpAt = int.MaxValue;
        if (!_options.BackgroundCompile)
        {
            Compile(block);
            return;
        }
        if (Stats.Enabled) Stats.Count(ref Stats.Tier1Requests);
        var worker = EnsureWorker();
        worker.Queue.Enqueue(block);
        worker.Available.Release();
    }

    private Worker EnsureWorker()
    {
        // After fork() the child has no worker thread: it starts its own on the queue it inherited (the
        // parent's worker was parked between blocks, so the queue is consistent).
        long pid = Linux.Native.LibC.SyscallRaw(39 /* getpid */);
        var worker = _worker;
        if (worker != null && worker.Pid == pid) return worker;
        lock (_workerLock)
        {
            if (_worker != null && _worker.Pid == pid) return _worker;
            worker = new Worker(_worker?.Queue ?? new(), _worker?.Pending ?? NewPolicy(), pid);
            var thread = new Thread(() => WorkLoop(worker)) { IsBackground = true, Name = "tier1-compiler" };
            lock (s_forkLock)
            {
                thread.Start();
                s_workers.Add(worker);
            }
            _worker = worker;
        }
        return worker;
    }

    /// <summary>When this compiler (the program) started: the policy's horizon is the time since.</summary>
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private Tier1Policy NewPolicy() => new(_startedAt, _options.Tier1Threshold == 0 || !_options.CostModel,
        Lookup != null && _options.MaxRegionBlocks > 0 ? Lookup : null, _options.MaxRegionBlocks, _options.MaxRegionInstructions, RecompileGrowth);

    private void WorkLoop(Worker worker)
    {
        var pending = worker.Pending;
        while (true)
        {
            // Requests still being measured are looked at again after a sample interval.
            if (pending.Count == 0) worker.Available.Wait();
            else worker.Available.Wait(Tier1Policy.SampleMilliseconds);
            ParkIfForking();
            long now = Stopwatch.GetTimestamp();
            while (worker.Queue.TryDequeue(out var queued)) pending.Add(queued, now);
            var block = pending.TakeNext(now, out double runsAhead);
            if (block != null && !block.Invalidated) Compile(block, runsAhead);
        }
    }

    // --- fork ---------------------------------------------------------------------------------------------
    // The Linux layer forks the whole runtime. The child's runtime still lists the parent's threads; at its
    // first GC it waits for each listed thread that was running managed code (cooperative mode) at the fork
    // to reach a safe point, signalling a thread that no longer exists, forever. So around fork every
    // worker is parked inside a futex wait: a P/Invoke, during which the runtime counts it as in native code.
    // That also keeps fork away from a worker inside RyuJIT, whose locks the child could never take.

    /// <summary>Word 0: 1 while a fork wants the workers parked (they wait on it); word 1: where parked workers are moved.</summary>
    private static readonly unsafe int* s_park = (int*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(8);
    private static readonly object s_forkLock = new();
    private static readonly List<Worker> s_workers = [];
    private const int FutexWaitPrivate = 128, FutexWakePrivate = 129, FutexCmpRequeuePrivate = 132;

    private static unsafe void ParkIfForking()
    {
        while (Volatile.Read(ref *s_park) != 0)
            Linux.Native.LibC.SyscallRaw(Linux.Native.HostSyscall.Futex, (long)s_park, FutexWaitPrivate, 1);
    }

    /// <summary>
    /// Parks this process's workers until the returned guard is disposed (right after fork, in parent and
    /// child). Fork only while holding it.
    /// </summary>
    public static unsafe ForkGuard ParkWorkersForFork()
    {
        Monitor.Enter(s_forkLock);
        long pid = Linux.Native.LibC.SyscallRaw(39 /* getpid */);
        Volatile.Write(ref *s_park, 1);
        int count = 0;
        foreach (var w in s_workers)
        {
            if (w.Pid != pid) continue;
            w.Available.Release(); // an idle worker wakes up to park
            count++;
        }
        // A worker is parked once it is a futex waiter on s_park: moving the waiters to word 1 counts them.
        // (A worker still compiling parks when its block is done.)
        for (long parked = 0, round = 0; parked < count; round++)
        {
            long moved = Linux.Native.LibC.SyscallRaw(Linux.Native.HostSyscall.Futex, (long)s_park, FutexCmpRequeuePrivate, 0, int.MaxValue, (long)(s_park + 1), 1);
            if (moved > 0) parked += moved;
            else if (round < 50) Thread.Yield();
            else Thread.Sleep(1);
        }
        return new ForkGuard(pid);
    }

    /// <summary>Releases the workers parked by <see cref="ParkWorkersForFork"/>; in a child, forgets them (they were not copied).</summary>
    public readonly struct ForkGuard(long parentPid) : IDisposable
    {
        public unsafe void Dispose()
        {
            if (Linux.Native.LibC.SyscallRaw(39 /* getpid */) != parentPid) s_workers.Clear();
            Volatile.Write(ref *s_park, 0);
            // A wait restarted after a signal handler waits on word 0 again: wake both.
            Linux.Native.LibC.SyscallRaw(Linux.Native.HostSyscall.Futex, (long)s_park, FutexWakePrivate, int.MaxValue);
            Linux.Native.LibC.SyscallRaw(Linux.Native.HostSyscall.Futex, (long)(s_park + 1), FutexWakePrivate, int.MaxValue);
            Monitor.Exit(s_forkLock);
        }
    }

    /// <summary>
    /// True if the IR calls a helper that takes the context (Tier 1 writes registers back before it). FP-status
    /// helpers only see FPCR/FPSR, which the fault snapshot never covered (sticky flags survive a replay).
    /// </summary>
    private static bool CallsContextHelper(IR.IrBlock ir) => ir.Insts.Any(i => i.Op == IR.IrOp.Call && i.Helper!.TakesContext && !i.Helper.UsesOnlyFpStatus);

    /// <summary>
    /// Asks for <paramref name="head"/>'s region to be built again (once): it keeps leaving its code, so
    /// the profile it was built from (blocks translated so far, indirect targets seen) was too early.
    /// </summary>
    public void RequestRecompile(TranslatedBlock head)
    {
        if (head.Recompiles >= MaxRecompiles || head.Invalidated) return;
        head.Recompiles++;
        head.RecompileWanted = true;
        Volatile.Write(ref head.CompileQueued, 0);
        Request(head);
    }

    /// <summary>Rebuilds per region (EMU_MAX_RECOMPILES, for experiments).</summary>
    private static readonly int MaxRecompiles = int.TryParse(Environment.GetEnvironmentVariable("EMU_MAX_RECOMPILES"), out int m) ? m : 1;

    /// <summary>A rebuild must add at least 1/this of the region's IR (EMU_REBUILD_MIN_GROWTH, for experiments).</summary>
    private static readonly int RebuildMinGrowth = int.TryParse(Environment.GetEnvironmentVariable("EMU_REBUILD_MIN_GROWTH"), out int r) && r > 0 ? r : 4;

    /// <summary>
    /// How much larger (blocks and instructions) a rebuilt region may be than a first build that stopped at the
    /// instruction cap (see <see cref="GrowthOf"/>). A big loop body split over several regions (LZMA's optimal
    /// parser) transfers between them at every iteration, and each transfer writes back and reloads the
    /// registers: 6× (1800 IR instructions) keeps such loops in one method, and its IL mostly below
    /// <see cref="IlCompiler.MaxRegionIlBytes"/>.
    /// </summary>
    private static readonly int RecompileGrowth = int.TryParse(Environment.GetEnvironmentVariable("EMU_RECOMPILE_GROWTH"), out int g) && g > 0 ? g : 6;

    /// <summary>
    /// How much larger than its first build <paramref name="head"/>'s region may grow when rebuilt: the full
    /// <paramref name="recompileGrowth"/> when that build stopped at the instruction cap (the hot code did not
    /// fit), else at most 2×. A region that held all its hot code would only gather more of the code around it
    /// (every block with Tier 1 code joins): more registers live across its loop, which RyuJIT then spills.
    /// </summary>
    internal static int GrowthOf(TranslatedBlock head, int maxRegionInstructions, int recompileGrowth)
    {
        int size = 0;
        foreach (var m in head.RegionMembers ?? [head]) size += m.IrInstructionCount;
        return size >= maxRegionInstructions * 4 / 5 ? recompileGrowth : Math.Min(recompileGrowth, 2);
    }

    /// <summary>Compiles <paramref name="block"/> (with the region it heads); <paramref name="headRunsAhead"/>: see RegionBuilder.Collect.</summary>
    private void Compile(TranslatedBlock block, double headRunsAhead = 0)
    {
        var savedBase = IlCompiler.SetThreadMemoryBase(MemoryBase);
        try { CompileWithBase(block, headRunsAhead); }
        finally { IlCompiler.SetThreadMemoryBase(savedBase); }
    }

    /// <summary>
    /// The guest memory's Base when it fits an x86 displacement (GuestMemory.BaseIsDisplacement), else 0: the code
    /// this compiler makes runs only on that memory, so it may add Base as a constant.
    /// </summary>
    public ulong MemoryBase { get; init; }

    private void CompileWithBase(TranslatedBlock block, double headRunsAhead)
    {
        bool recompile = block.RecompileWanted;
        // Already running as an entry of a region compiled since it was queued.
        if (block.Compiled != null && !recompile) return;
        block.RecompileWanted = false;
        long start = Stats.Enabled ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        long cpuStart = Stats.PerRegion ? Stats.ThreadCpuNanoseconds() : 0, cpuAfterIr = cpuStart;
        BlockCode? code = null;
        // A block already inside a region compiles alone: the region's head is where its loop is entered.
        // A region rebuilt because its code keeps being left is hot (tens of thousands of exits): it may grow
        // larger, so that more of its loop (a callee, the rest of a big loop body) stays in one method.
        int growth = recompile ? GrowthOf(block, _options.MaxRegionInstructions, RecompileGrowth) : 1;
        var members = Lookup != null && _options.MaxRegionBlocks > 0 && (!block.InRegion || recompile)
            ? RegionBuilder.Collect(block, Lookup, _options.MaxRegionBlocks * growth, _options.MaxRegionInstructions * growth, headRunsAhead) : null;
        IlCompiler.RegionCode? region = null;
        int precompiledIr = Stats.PerRegion && members != null ? members.Where(m => m != block && m.Compiled != null).Sum(m => m.IrInstructionCount) : 0;
        // Little new joined (less than a 1/RebuildMinGrowth of its IR: the rebuild would compile it all again for
        // a few exits kept inside) and no member's indirect branch has new targets (the region only exits a lot,
        // e.g. a function called from a loop): keep its code.
        if (recompile && (members == null || (block.RegionMembers is { } current
            && IrInstructionsNotIn(members, current) * RebuildMinGrowth < DistinctIrInstructions(current)
            && IndirectTargetTotal(members) <= block.RegionIndirectTargets))) return;
        if (members != null)
        {
            // Published before the members are checked, so an invalidation from now on also drops this block.
            var oldMembers = recompile ? block.RegionMembers : null;
            block.RegionMembers = oldMembers == null ? members : [.. oldMembers, .. members];
            RegionCompiling?.Invoke(block, members);
            var irs = members.Select(m => m.Ir).ToArray();
            if (Stats.PerRegion) cpuAfterIr = Stats.ThreadCpuNanoseconds();
            region = IlCompiler.CompileRegionWithEntries(irs, members.Select(m => RegionBuilder.IndirectTargets(m).ToArray()).ToArray(), out bool tooLarge);
            // A grown region past the IL bound: the same region with fewer instructions (its IL costs far less than RyuJIT's time).
            for (int cap = _options.MaxRegionInstructions * growth * 2 / 3; region == null && tooLarge && recompile && cap > _options.MaxRegionInstructions; cap = cap * 2 / 3)
            {
                var fewer = RegionBuilder.Collect(block, Lookup!, _options.MaxRegionBlocks * growth, cap, headRunsAhead);
                if (fewer == null) break;
                block.RegionMembers = [.. block.RegionMembers, .. fewer];
                RegionCompiling?.Invoke(block, fewer);
                members = fewer;
                irs = members.Select(m => m.Ir).ToArray();
                region = IlCompiler.CompileRegionWithEntries(irs, members.Select(m => RegionBuilder.IndirectTargets(m).ToArray()).ToArray(), out tooLarge);
            }
            code = region?.Entries[0];
            block.RegionIndirectTargets = IndirectTargetTotal(members);
            if (members.Any(m => m.Invalidated)) code = null;
            if (code != null && recompile && FaultClean(code, members) != block.FaultClean)
            {
                // The running code's fault replay depends on FaultClean: it cannot change under it.
                code = null;
            }
            if (recompile && code == null)
            {
                block.RegionMembers = oldMembers;
                return;
            }
            // A rebuilt region keeps the old members too: the old code may still be running.
            if (!recompile) block.RegionMembers = members;
            if (code != null)
            {
                foreach (var m in members) m.InRegion = true;
                Stats.Count(ref Stats.RegionCompiles);
            }
        }
        if (code == null)
        {
            block.RegionMembers = null;
            region = null;
            code = IlCompiler.Compile(block.Ir);
            IlCompiler.Prejit(code);
        }
        if (_options.Log is { } log && _options.OutAsmFormatter is { } format)
            lock (log) log.Write(format(block.StartPc, code));
        block.FaultClean = FaultClean(code, block.RegionMembers ?? [block]);
        block.IndirectExitOwners = region != null ? Owners(region, members!) : null;
        block.RegionExits = 0;
        block.ExitLinks = new TranslatedBlock?[TranslatedBlock.ExitLinkSlots];
        block.Compiled = code;
        if (region != null) PublishEntries(block, members!, region);
        if (Stats.Enabled)
        {
            Stats.Count(ref Stats.Tier1Compiles);
            Interlocked.Add(ref Stats.CompileTicks, System.Diagnostics.Stopwatch.GetTimestamp() - start);
            if (Stats.PerRegion) RecordCompile(block, members, region, code, recompile, cpuStart, cpuAfterIr, precompiledIr, headRunsAhead);
        }
    }

    private static void RecordCompile(TranslatedBlock head, TranslatedBlock[]? members, IlCompiler.RegionCode? region, BlockCode code, bool recompile, long cpuStart, long cpuAfterIr, int precompiledIr, double runsAhead)
    {
        long end = Stats.ThreadCpuNanoseconds();
        var blocks = region != null ? members! : [head];
        int ilBytes = code.Method is System.Reflection.Emit.DynamicMethod dm ? dm.GetILGenerator().ILOffset : -1;
        Stats.RecordCompile(new Stats.CompileRecord
        {
            HeadPc = head.StartPc,
            Head = head,
            Blocks = blocks.Length,
            IrInstructions = IrInstructions(blocks),
            IrAlreadyCompiled = precompiledIr,
            IlBytes = ilBytes,
            Exits = region?.IndirectExitOwners.Length ?? 0,
            IrMs = (cpuAfterIr - cpuStart) / 1e6,
            CompileMs = (end - cpuAfterIr) / 1e6,
            QueuedAtExecutions = head.ExecutionCount,
            Recompile = recompile ? 1 : 0,
            RunsAhead = runsAhead,
        }, members);
    }

    private static int IndirectTargetTotal(TranslatedBlock[] members)
    {
        int total = 0;
        foreach (var m in members) total += RegionBuilder.IndirectTargets(m).Length;
        return total;
    }

    /// <summary>IR instructions of the <paramref name="blocks"/> that <paramref name="current"/> does not hold.</summary>
    private static int IrInstructionsNotIn(TranslatedBlock[] blocks, TranslatedBlock[] current)
    {
        int total = 0;
        foreach (var b in blocks)
            if (IndexOf(current, b, current.Length) < 0) total += b.IrInstructionCount;
        return total;
    }

    /// <summary>IR instructions of <paramref name="blocks"/>, each block once (a rebuilt region lists old and new members).</summary>
    private static int DistinctIrInstructions(TranslatedBlock[] blocks)
    {
        int total = 0;
        for (int i = 0; i < blocks.Length; i++)
            if (IndexOf(blocks, blocks[i], i) < 0) total += blocks[i].IrInstructionCount;
        return total;
    }

    // Regions have tens of blocks: a scan, not a set.
    private static int IndexOf(TranslatedBlock[] blocks, TranslatedBlock block, int count)
    {
        for (int i = 0; i < count; i++)
            if (ReferenceEquals(blocks[i], block)) return i;
        return -1;
    }

    /// <summary>The blocks' IR instructions. A loop: LINQ's Sum over our type is host JIT at the first compile of every process.</summary>
    internal static int IrInstructions(TranslatedBlock[] blocks)
    {
        int total = 0;
        foreach (var b in blocks) total += b.IrInstructionCount;
        return total;
    }

    private static bool FaultClean(BlockCode code, TranslatedBlock[] blocks) =>
        code.Target is not InterpretedBlock && !blocks.Any(m => CallsContextHelper(m.Ir));

    private static TranslatedBlock?[] Owners(IlCompiler.RegionCode region, TranslatedBlock[] members) =>
        region.IndirectExitOwners.Select(i => i >= 0 ? members[i] : null).ToArray();

    /// <summary>
    /// Gives the region's members that have no Tier 1 code yet (or an entry of this head's older region) the
    /// region entered at them: when the hot path leaves the region and comes back through a member (an exit
    /// to a block outside that returns into the loop), it runs the region again instead of single blocks.
    /// </summary>
    private void PublishEntries(TranslatedBlock head, TranslatedBlock[] members, IlCompiler.RegionCode region)
    {
        var owners = head.IndirectExitOwners;
        for (int i = 1; i < members.Length; i++)
        {
            var m = members[i];
            if (m.Invalidated || !(m.Compiled == null || (m.EntryOf == head && m.FaultClean == head.FaultClean))) continue;
            // Like the head: a change to any member's code must drop this entry too.
            var oldMembers = m.RegionMembers;
            m.RegionMembers = oldMembers == null ? members : [.. oldMembers, .. members];
            RegionCompiling?.Invoke(m, members);
            // Registered first, checked second: a member changed since the head's check drops this entry.
            if (head.Invalidated || members.Any(x => x.Invalidated)) return;
            m.EntryOf = head;
            m.FaultClean = head.FaultClean;
            m.IndirectExitOwners = owners;
            m.ExitLinks = new TranslatedBlock?[TranslatedBlock.ExitLinkSlots];
            m.CompileQueued = 1;
            m.Compiled = region.Entries[i];
        }
    }
}
