using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR.Passes;
using Emu.Linux.Signals;
using Emu.Memory;

namespace Emu.Jit;

/// <summary>
/// Runs guest code: finds or translates the block at the PC, runs its Tier 1 code if compiled or the
/// cold tier otherwise, follows block links, and hands syscalls and traps to the environment.
/// </summary>
public sealed unsafe class Dispatcher
{
    private readonly GuestMemory _memory;
    private readonly IGuestEnvironment _env;
    private readonly TranslatorOptions _options;
    private readonly BlockTranslator _translator;
    private readonly Arm64Decoder _decoder;
    private readonly Tier1Compiler _tier1;
    private readonly object _translateLock = new();
    private readonly Func<TranslatedBlock, IR.IrBlock> _rebuildIr;

    public CodeCache Cache { get; } = new();

    public Dispatcher(GuestMemory memory, IGuestEnvironment env, TranslatorOptions options)
    {
        _memory = memory;
        _env = env;
        _options = options;
        long tableStart = Stats.Enabled ? Stopwatch.GetTimestamp() : 0;
        var decoder = options.DisabledGroups is { Count: > 0 } off ? DecoderWithout(off) : Arm64Decoder.Instance;
        if (Stats.Enabled) Stats.DecoderBuildTicks += Stopwatch.GetTimestamp() - tableStart;
        _decoder = decoder;
        _translator = new BlockTranslator(decoder, FetchInstruction);
        _rebuildIr = RebuildIr;
        _tier1 = new Tier1Compiler(options) { Lookup = Cache.Lookup, RegionCompiling = Cache.AddRegion, MemoryBase = memory.BaseIsDisplacement ? (ulong)memory.Base : 0 };
        memory.MappingChanged += (start, end) => Cache.Invalidate(start, end);
        HostFaultHandler.Install((ulong)memory.Base, memory.Size, GuestMemory.GuardSize, GuestMemory.UpperGuardSize);
    }

    // Its own method: precompiled code loads the assemblies a method refers to (here System.Linq) when it is first called.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static Arm64Decoder DecoderWithout(IReadOnlySet<string> off) =>
        new(A64Encodings.All.Where(e => !off.Contains(e.Group)).ToArray());

    private bool FetchInstruction(ulong address, out uint word)
    {
        word = 0;
        if (!_memory.IsAccessible(address, 4, GuestProt.Exec)) return false;
        word = *(uint*)_memory.HostPointer(address);
        return true;
    }

    /// <summary>The IR of a cached block again, for Tier 1 (blocks do not keep theirs: see TranslatedBlock.Ir).</summary>
    private IR.IrBlock RebuildIr(TranslatedBlock block)
    {
        var ir = _translator.Retranslate(block.StartPc, block.GuestWords!, _options.MaxBlockInstructions);
        if (_options.Optimize) IrOptimizer.Run(ir);
        ir.Renumber();
        return ir;
    }

    /// <summary>The block at <paramref name="pc"/>, translating it if it is not cached.</summary>
    public TranslatedBlock GetBlock(ulong pc)
    {
        var b = Cache.Lookup(pc);
        if (b != null) return b;
        lock (_translateLock)
        {
            b = Cache.Lookup(pc);
            if (b != null) return b;
            long t0 = Stats.Enabled ? Stopwatch.GetTimestamp() : 0;
            var ir = _translator.TranslateTransient(pc, _options.MaxBlockInstructions);
            long t1 = Stats.Enabled ? Stopwatch.GetTimestamp() : 0;
            var log = _options.Log;
            if (log != null && _options.LogInAsm) LogGuestCode(log, ir.StartPc, ir.EndPc);
            if (log != null && _options.LogUnimp) LogUndecodable(log, ir.StartPc, ir.EndPc);
            if (log != null && _options.LogOp) log.Write("OP:\n" + ir);
            if (_options.Optimize) IrOptimizer.RunCold(ir);
            ir.Renumber();
            long t2 = Stats.Enabled ? Stopwatch.GetTimestamp() : 0;
            if (log != null && _options.LogOpOpt) log.Write("OP after optimization:\n" + ir);
            b = new TranslatedBlock(ir, _rebuildIr);
            if (Stats.Enabled)
            {
                long t3 = Stopwatch.GetTimestamp();
                Stats.TranslateTicks += t1 - t0;
                Stats.OptimizeTicks += t2 - t1;
                Stats.PrepareTicks += t3 - t2;
                Stats.Count(ref Stats.BlocksTranslated);
            }
            Cache.Add(b);
            return b;
        }
    }

    /// <summary>-d unimp: the words in [start, end) that no encoding of the (-cpu filtered) table matches.</summary>
    private void LogUndecodable(TextWriter log, ulong start, ulong end)
    {
        for (ulong a = start; a < end; a += 4)
            if (FetchInstruction(a, out uint word) && _decoder.Decode(word) == null)
                log.WriteLine($"unimplemented or undefined instruction 0x{word:x8} at 0x{a:x16}");
    }

    private void LogGuestCode(TextWriter log, ulong start, ulong end)
    {
        log.WriteLine("----------------");
        log.WriteLine("IN: ");
        for (ulong a = start; a < end; a += 4)
        {
            if (!FetchInstruction(a, out uint word)) break;
            log.WriteLine(_options.InAsmFormatter?.Invoke(a, word) ?? $"0x{a:x16}:  {word:x8}");
        }
        log.WriteLine();
    }

    /// <summary>Runs the guest thread whose state is <paramref name="ctx"/> until it exits; returns its exit status.</summary>
    // Precompiled (ReadyToRun) like the rest: tiered compilation is off, so that code is final and optimized;
    // compiling this loop at every start cost ~4 ms of JIT and measured no faster.
    public int Run(CpuContext* ctx)
    {
        ulong pc = ctx->Pc;
        TranslatedBlock? prev = null;
        byte* snapshot = stackalloc byte[SnapshotBytes];
        // The cold tier's value slots, for every block this thread runs (24 KB, uninitialized).
        InterpretedBlock.SlotAreas* coldSlots = stackalloc InterpretedBlock.SlotAreas[1];
        var beforeBlock = _options.BeforeBlock;
        // Stepping (GDB) and -d exec see every block, so they keep to the one-block-at-a-time path.
        bool chain = beforeBlock == null && !_options.LogExec;
        // RunBlock compiles before the first run: that code may need the snapshot the cold form did not.
        bool compileAtOnce = _options.Tier1Threshold == 0 && !_options.BackgroundCompile;
        bool chainCold = chain && !compileAtOnce;
        int threshold = _options.Tier1Threshold;
        // Read once: the property is another class's static, which precompiled code reaches through a helper.
        ulong* pendingSignals = HostSignals.Pending;
        while (true)
        {
            if (beforeBlock != null)
            {
                ctx->Pc = pc;
                beforeBlock((nint)ctx);
                pc = ctx->Pc;
            }
            if (Stats.Enabled) Stats.DispatchIterations++;
            var block = prev != null ? Successor(prev, pc, ctx) : GetBlock(pc);

            if (_options.LogExec) _options.Log?.WriteLine($"Trace: 0x{block.StartPc:x}");

            var code = block.Compiled;
            bool inChain = code != null ? chain : chainCold;
            // The block running, and the snapshot of its start, as the fault handlers below need them (a struct
            // the chain loop updates through a reference: locals live into a handler stay in memory).
            var state = new FaultState { Running = block, EnteredPc = block.StartPc };
            // Fault-clean Tier 1 code and cold blocks that can only fault before they write a register leave
            // the context as it was at the block's start until a fault: no snapshot (ReplayToFault gets null).
            state.SnapshotTaken = code != null ? !inChain || !block.FaultClean : compileAtOnce || block.ColdWritesBeforeFault;
            if (state.SnapshotTaken)
            {
                // The registers and flags at the block's start: a fault inside it is replayed from there.
                CopySnapshot(snapshot, (byte*)ctx);
                state.NzcvAtStart = ctx->Nzcv;
            }
            try
            {
                if (inChain) pc = RunChain(ref state, code, ctx, snapshot, coldSlots, chainCold, threshold, pendingSignals);
                else
                {
                    ctx->RunningPc = block.StartPc;
                    pc = RunBlock(block, code, ctx);
                    if (ctx->RunningPc != block.StartPc) state.Running = TransferredTo(ctx);
                }
            }
            catch (NullReferenceException) when (HostFaultHandler.TryTakeFault(out ulong address, out int code2))
            {
                // After direct transfers the fault is in fault-clean code (DirectTransfers enters no other): replayed from the context.
                bool transferred = ctx->RunningPc != state.EnteredPc;
                var running = state.Running = RunningBlock(in state, ctx);
                ctx->FaultAddress = address;
                ctx->FaultCode = code2;
                pc = ReplayToFault(running, ctx, state.SnapshotTaken && !transferred ? snapshot : null, state.NzcvAtStart);
            }
            catch (GuestAlignmentFaultException fault)
            {
                bool transferred = ctx->RunningPc != state.EnteredPc;
                var running = state.Running = RunningBlock(in state, ctx);
                ctx->FaultAddress = fault.Address;
                ctx->FaultCode = HostFaultHandler.BusFlag | AlignmentCheck.BusAdraln;
                pc = ReplayToFault(running, ctx, state.SnapshotTaken && !transferred ? snapshot : null, state.NzcvAtStart);
            }

            if (ctx->Exit != ExitReason.None)
            {
                ctx->Pc = pc;
                int? status = _env.HandleExit(ctx);
                ctx->Exit = ExitReason.None;
                if (status.HasValue) return status.Value;
                pc = ctx->Pc;
                prev = null;
                continue;
            }
            if (*pendingSignals != 0 || ctx->SignalAttention != 0)
            {
                // A signal from outside arrived, or another thread handed this one a signal: a block boundary is a safe point to enter its handler.
                ctx->Pc = pc;
                _env.DeliverAsyncSignals(ctx);
                pc = ctx->Pc;
                prev = null;
                continue;
            }
            prev = state.Running;
        }
    }

    /// <summary>
    /// What Run's fault handlers need: the block entered last from the dispatcher (its PC) and whether its start
    /// was snapshot. <see cref="Running"/> is the block that ran last once RunChain returned; within the chain
    /// it is ctx->RunningPc's block (a reference stored per block would cost a GC write barrier each).
    /// </summary>
    private struct FaultState
    {
        public TranslatedBlock Running;
        public ulong EnteredPc;
        public bool SnapshotTaken;
        public ulong NzcvAtStart;
    }

    /// <summary>The block that faulted: ctx->RunningPc's (see <see cref="FaultState"/>).</summary>
    private TranslatedBlock RunningBlock(in FaultState state, CpuContext* ctx) =>
        state.Running.StartPc == ctx->RunningPc && !state.Running.Invalidated ? state.Running : TransferredTo(ctx);

    /// <summary>
    /// Runs blocks back to back from <paramref name="state"/>.Running (whose <paramref name="code"/> Run read and
    /// snapshot for), Tier 1 code and cold blocks alike: a link check and a few loads each instead of the whole
    /// dispatch. Returns at a guest exit, a pending signal, or (without <paramref name="chainCold"/>) a cold
    /// block; the caller then continues from state.Running and the returned PC. Fault-clean code leaves the
    /// context as it was at the block's start until the block exits, so only the others need the snapshot
    /// (an inline 256-byte copy).
    /// </summary>
    private ulong RunChain(ref FaultState state, BlockCode? code, CpuContext* ctx, byte* snapshot, InterpretedBlock.SlotAreas* coldSlots,
        bool chainCold, int threshold, ulong* pendingSignals)
    {
        var running = state.Running;
        ulong pc;
        // Read once: precompiled code reaches another class's static through a helper at every read.
        bool stats = Stats.Enabled;
        while (true)
        {
            ctx->RunningPc = running.StartPc;
            if (code != null)
            {
                if (stats) (running.EntryOf ?? running).Tier1Runs++;
                pc = code(ctx);
                // The code may have gone on into other blocks' code (DirectTransfers): the exit is the last one's.
                if (ctx->RunningPc != running.StartPc) running = TransferredTo(ctx);
            }
            else
            {
                pc = running.Cold.Execute(ctx, coldSlots);
                if (stats) Stats.ColdExecutions++;
                // TierUpAt keeps a queued block (and one whose request was dropped, until it has run as often again) from asking again.
                int n = ++running.ExecutionCount;
                if (n >= threshold && threshold >= 0 && n >= running.TierUpAt) _tier1.Request(running);
            }
            if (ctx->Exit != ExitReason.None || *pendingSignals != 0 || ctx->SignalAttention != 0) break;
            var next = Successor(running, pc, ctx);
            if (code != null && running.RegionMembers != null) CountRegionExits(running, 1);
            var nextCode = next.Compiled;
            // (Tier 1 only: cold blocks go through RunBlock, which compiles them first.)
            if (nextCode == null && !chainCold) break;
            code = nextCode;
            bool snapshotTaken = code != null ? !next.FaultClean : next.ColdWritesBeforeFault;
            state.SnapshotTaken = snapshotTaken;
            if (snapshotTaken)
            {
                CopySnapshot(snapshot, (byte*)ctx);
                state.NzcvAtStart = ctx->Nzcv;
            }
            if (stats && code != null) Stats.ChainedTransfers++;
            running = next;
            state.EnteredPc = running.StartPc;
        }
        state.Running = running;
        return pc;
    }

    /// <summary>
    /// The block at <paramref name="pc"/> that <paramref name="from"/> exited to. Tier 1 code has a link per
    /// exit (ctx->LastExit); the cold tier two links. On a miss: the jump cache (indirect branches and returns
    /// with many targets), else a translation. A link is rewritten only when empty, stale or the jump cache
    /// missed too, so an indirect branch that keeps changing target costs no stores.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TranslatedBlock Successor(TranslatedBlock from, ulong pc, CpuContext* ctx)
    {
        var links = from.ExitLinks;
        if (links != null)
        {
            ref var slot = ref links[ctx->LastExit & (TranslatedBlock.ExitLinkSlots - 1)];
            var l = slot;
            if (l != null && l.LinkPc == pc) return l;
            return ExitLinkMiss(ref slot, from, pc, ctx->LastExit);
        }
        var l0 = from.Link0;
        if (l0 != null && l0.LinkPc == pc) return l0;
        var l1 = from.Link1;
        if (l1 != null && l1.LinkPc == pc) return l1;
        return LinkMiss(from, pc);
    }

    private TranslatedBlock ExitLinkMiss(ref TranslatedBlock? slot, TranslatedBlock from, ulong pc, int exit)
    {
        if (Stats.Enabled) Stats.LinkMisses++;
        // From now on the code's exits may go on directly through the links filled here (not while stepping
        // or tracing, which must see every block).
        if (from.Compiled?.Target is IlCompiler.ClosureTarget { Block: null } closure && closure != IlCompiler.ClosureTarget.Instance
            && _options.BeforeBlock == null && !_options.LogExec)
        {
            closure.Owner = this;
            closure.Links = new DirectTransfers.Link?[DirectTransfers.LinkSlots];
            closure.ExitBudget = DirectTransfers.ExitBatch;
            closure.Block = from;
        }
        // A single block's exits are its terminator's; a region's belong to the member its code says.
        if (from.RegionMembers == null) RecordIndirectTarget(from, pc);
        else if (from.IndirectExitOwners is { } owners && (uint)exit < (uint)owners.Length && owners[exit] is { } member) RecordIndirectTarget(member, pc);
        var b = Cache.Probe(pc);
        if (b != null && slot is { Invalidated: false }) return b;
        b ??= GetBlock(pc);
        if (!from.Invalidated) slot = b;
        return b;
    }

    /// <summary>
    /// The block whose code ran last after direct transfers (ctx->RunningPc; DirectTransfers enters only blocks
    /// found in the cache, so it is there unless invalidated since, and then translated again).
    /// </summary>
    private TranslatedBlock TransferredTo(CpuContext* ctx) => Cache.Probe(ctx->RunningPc) ?? GetBlock(ctx->RunningPc);

    private TranslatedBlock LinkMiss(TranslatedBlock from, ulong pc)
    {
        if (Stats.Enabled) Stats.LinkMisses++;
        RecordIndirectTarget(from, pc);
        var b = Cache.Probe(pc) ?? GetBlock(pc);
        if (!from.Invalidated)
        {
            if (from.Link0 is not { Invalidated: false }) from.Link0 = b;
            else from.Link1 = b;
        }
        return b;
    }

    /// <summary>
    /// Region code exited (to a block outside it, or to one of its own through the dispatcher). A region that
    /// keeps doing that was built from too early a profile: it is rebuilt once, with the blocks and indirect
    /// targets seen since. Direct transfers count their exits here in batches (<paramref name="exits"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CountRegionExits(TranslatedBlock region, int exits)
    {
        var head = region.EntryOf ?? region;
        int before = head.RegionExits;
        head.RegionExits = before + exits;
        if (before < RecompileAfterExits && before + exits >= RecompileAfterExits) _tier1.RequestRecompile(head);
    }

    private const int RecompileAfterExits = 1 << 16;

    /// <summary>Remembers where <paramref name="from"/>'s indirect branch went, for the region that may later hold it.</summary>
    private void RecordIndirectTarget(TranslatedBlock from, ulong pc)
    {
        // The stored terminator and count: reading .Ir would rebuild the IR whenever its weak copy was collected.
        if (from.TerminatorOp != IR.IrOp.JumpIndirect || from.IndirectTargetCount >= TranslatedBlock.MaxIndirectTargets) return;
        // RET's targets are call sites, not a jump table: the region builder grows regions only for the latter.
        if (from.IndirectTargetCount == 0 && FetchInstruction(from.EndPc - 4, out uint word))
            from.IndirectIsReturn = BranchWords.IsRet(word);
        from.RecordIndirectTarget(pc);
    }

    /// <summary>Copies the first <see cref="SnapshotBytes"/> of the context inline (a 256-byte CopyBlock is a memmove call).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopySnapshot(byte* to, byte* from)
    {
        for (int i = 0; i < SnapshotBytes; i += 32)
            Unsafe.WriteUnaligned(to + i, Unsafe.ReadUnaligned<Vector256<byte>>(from + i));
    }

    // X0..X30, SP (the context's first 32 words); NZCV is saved separately with them.
    private const int SnapshotBytes = 32 * 8;

    /// <summary>
    /// A guest load or store in <paramref name="block"/> faulted (see HostFaultHandler). Both tiers keep
    /// values out of the context within a block, so the guest state at the faulting instruction is rebuilt:
    /// the X registers are reset to the block's start and the block is run again one instruction at a time,
    /// unoptimized, in the cold tier, until the fault happens again; then the context is precise and
    /// ctx->Pc is the faulting instruction. Limits: vector registers and memory written by the block before
    /// the fault are not rolled back (stores are re-run, which is harmless unless the block read back
    /// memory it had changed). Returns the PC to continue at, with ctx->Exit = MemoryFault if the fault recurred.
    /// </summary>
    private ulong ReplayToFault(TranslatedBlock block, CpuContext* ctx, byte* snapshot, ulong nzcvAtStart)
    {
        // Without a snapshot the block was fault-clean Tier 1 code: the context still holds its start state.
        if (snapshot != null)
        {
            CopySnapshot((byte*)ctx, snapshot);
            ctx->Nzcv = nzcvAtStart;
        }
        ctx->Exit = ExitReason.None;
        ulong pc = block.StartPc;
        for (int steps = 0; steps < 4096 && pc >= block.StartPc && pc < block.EndPc; steps++)
        {
            InterpretedBlock single;
            lock (_translateLock)
            {
                var ir = _translator.TranslateTransient(pc, 1);
                single = InterpretedBlock.Prepare(ir);
            }
            try
            {
                ulong next = single.Execute(ctx);
                if (ctx->Exit != ExitReason.None) return next;
                pc = next;
            }
            catch (NullReferenceException) when (HostFaultHandler.TryTakeFault(out ulong address, out int code))
            {
                ctx->FaultAddress = address;
                ctx->FaultCode = code;
                ctx->Exit = ExitReason.MemoryFault;
                return pc;
            }
            catch (GuestAlignmentFaultException fault)
            {
                ctx->FaultAddress = fault.Address;
                ctx->FaultCode = HostFaultHandler.BusFlag | AlignmentCheck.BusAdraln;
                ctx->Exit = ExitReason.MemoryFault;
                return pc;
            }
        }
        // The fault did not happen again (another thread changed the mapping meanwhile): carry on.
        return pc;
    }

    /// <summary>Runs <paramref name="block"/> once: its Tier 1 <paramref name="code"/> (as read by Run, which chose the snapshot by it) if any, else the cold tier.</summary>
    private ulong RunBlock(TranslatedBlock block, BlockCode? code, CpuContext* ctx)
    {
        ulong pc;
        if (code == null && _options.Tier1Threshold == 0 && !_options.BackgroundCompile)
        {
            // Tier 1 only (tests, -tier1-threshold 0): compile before the first run.
            _tier1.Request(block);
            code = block.Compiled;
        }
        if (code != null)
        {
            if (Stats.Enabled) (block.EntryOf ?? block).Tier1Runs++;
            pc = code(ctx);
        }
        else
        {
            pc = block.Cold.Execute(ctx);
            if (Stats.Enabled) Stats.ColdExecutions++;
            int n = ++block.ExecutionCount;
            // TierUpAt keeps a queued block (and one whose request was dropped, until it has run as often again) from asking again.
            int threshold = _options.Tier1Threshold;
            if (n >= threshold && threshold >= 0 && n >= block.TierUpAt) _tier1.Request(block);
        }
        return pc;
    }
}
