using Emu.Cpu;
using Emu.IR;

namespace Emu.Jit;

/// <summary>Tier 1 code for one block: runs it and returns the next guest PC.</summary>
public unsafe delegate ulong BlockCode(CpuContext* ctx);

/// <summary>
/// A block in the code cache: its IR, its cold-tier form, and its Tier 1 code once compiled. It is its own
/// cold-tier form (a subclass of <see cref="InterpretedBlock"/>): tens of thousands of cached blocks then save an
/// object each, and the dispatcher reads the cold form without following a reference.
/// </summary>
public sealed class TranslatedBlock : InterpretedBlock
{
    public ulong StartPc { get; }
    public ulong EndPc { get; }

    // The IR of every cached block would be most of the managed heap (an interpreter's start-up translates
    // tens of thousands of blocks, of which about a thousand get hot), and each GC would trace and copy it.
    // So a block that can be rebuilt keeps only its instruction words; the IR is rebuilt for Tier 1 and held
    // weakly, so the region builder and the compiler share one rebuild. One field: the IrBlock kept, or the
    // Func that rebuilds it.
    private readonly object _irSource;

    /// <summary>The block's optimized IR (rebuilt from <see cref="GuestWords"/> if it was not kept).</summary>
    public IrBlock Ir
    {
        get
        {
            if (_irSource is IrBlock kept) return kept;
            var t = Tier1;
            if (t.Rebuilt != null && t.Rebuilt.TryGetTarget(out var ir)) return ir;
            ir = ((Func<TranslatedBlock, IrBlock>)_irSource)(this);
            // Racing rebuilds make equal IR; either may be kept.
            t.Rebuilt = new WeakReference<IrBlock>(ir);
            return ir;
        }
    }

    /// <summary>The guest instruction words the block was translated from.</summary>
    public uint[]? GuestWords { get; }
    /// <summary>IR instructions in the block (after optimization), without rebuilding it.</summary>
    public int IrInstructionCount { get; }
    /// <summary>The IR terminator's op and immediates (Jump: Imm; Branch: Imm, Imm2), without rebuilding the IR.</summary>
    public IrOp TerminatorOp { get; }
    public ulong TerminatorImm { get; }
    public ulong TerminatorImm2 { get; }
    /// <summary>The cold tier's form of the block (runs before Tier 1 code exists): the block itself.</summary>
    public InterpretedBlock Cold => this;
    /// <summary><see cref="Cold"/>'s WritesBeforeFault.</summary>
    public bool ColdWritesBeforeFault => WritesBeforeFault;
    /// <summary>Tier 1 code; set by the background compiler, read by the dispatcher.</summary>
    public BlockCode? Compiled
    {
        get => Volatile.Read(ref _compiled);
        set
        {
            var old = Interlocked.Exchange(ref _compiled, value);
            // Direct links hold code, not blocks: they must not keep entering what this replaced. (Links are made
            // only to compiled blocks, so a block's first code leaves them all valid.)
            if (old != null) DirectTransfers.CodeChanged();
        }
    }

    private BlockCode? _compiled;
    public int ExecutionCount;

    /// <summary>
    /// What only blocks that get near Tier 1 need (regions, recompiles, the rebuilt IR): in an object of its own,
    /// made at the first write, so the tens of thousands of blocks that stay cold do not carry it.
    /// </summary>
    private sealed class Tier1State
    {
        public WeakReference<IrBlock>? Rebuilt;
        public volatile TranslatedBlock[]? RegionMembers;
        public TranslatedBlock? EntryOf;
        public TranslatedBlock?[]? IndirectExitOwners;
        public long Tier1Runs;
        public int RegionExits, RegionIndirectTargets, Recompiles;
        public volatile bool RecompileWanted;
    }

    private Tier1State? _tier1;

    private Tier1State Tier1
    {
        get
        {
            var t = Volatile.Read(ref _tier1);
            if (t != null) return t;
            // The compile thread and the guest threads may both make it: one wins.
            t = new Tier1State();
            return Interlocked.CompareExchange(ref _tier1, t, null) ?? t;
        }
    }

    /// <summary>EMU_STATS: runs of this block's Tier 1 code (region heads: entries at any member).</summary>
    public long Tier1Runs
    {
        get => _tier1?.Tier1Runs ?? 0;
        set => Tier1.Tier1Runs = value;
    }
    /// <summary>Set when queued for Tier 1, so a block is queued once.</summary>
    public int CompileQueued;
    /// <summary>The cold-tier count from which the dispatcher asks for Tier 1 (besides the threshold): raised while queued and when a request was dropped.</summary>
    public int TierUpAt;
    /// <summary>Stopwatch time of translation: with <see cref="ExecutionCount"/>, how fast the block has run (Tier1Compiler's first estimate).</summary>
    public long TranslatedAt = System.Diagnostics.Stopwatch.GetTimestamp();
    /// <summary>Set when guest memory under the block changed; the block must not run again.</summary>
    public bool Invalidated
    {
        get => _invalidated;
        set
        {
            if (value) LinkPc = InvalidLinkPc;
            _invalidated = value;
        }
    }

    private volatile bool _invalidated;

    /// <summary>
    /// <see cref="StartPc"/> while the block is valid, <see cref="InvalidLinkPc"/> once invalidated: the
    /// dispatcher's link check compares this one field with the PC instead of reading two (on two cache lines).
    /// </summary>
    public ulong LinkPc;

    /// <summary>No guest PC: instructions are 4-byte aligned.</summary>
    public const ulong InvalidLinkPc = ulong.MaxValue;

    /// <summary>When <see cref="Compiled"/> is a region (entered at this block): its blocks, head first; a change to any of them drops this block.</summary>
    public TranslatedBlock[]? RegionMembers
    {
        get => _tier1?.RegionMembers;
        set
        {
            if (value != null || _tier1 != null) Tier1.RegionMembers = value;
        }
    }

    /// <summary>
    /// Set before <see cref="Compiled"/> is published when that code writes no guest register to the context
    /// before its exit (IL code with no context-taking helper): a fault inside it finds the context as it was at
    /// the block's start, so the dispatcher needs no snapshot and can chain it.
    /// </summary>
    public bool FaultClean;

    /// <summary>When <see cref="Compiled"/> is a region entered at this member: the region's head.</summary>
    public TranslatedBlock? EntryOf
    {
        get => _tier1?.EntryOf;
        set
        {
            if (value != null || _tier1 != null) Tier1.EntryOf = value;
        }
    }

    /// <summary>
    /// Region code: per exit number (CpuContext.LastExit), the member whose indirect branch leaves through
    /// that exit, or null; the dispatcher records a missed target there.
    /// </summary>
    public TranslatedBlock?[]? IndirectExitOwners
    {
        get => _tier1?.IndirectExitOwners;
        set
        {
            if (value != null || _tier1 != null) Tier1.IndirectExitOwners = value;
        }
    }

    /// <summary>Region heads: transfers out of the region's code (any entry) since it was compiled.</summary>
    public int RegionExits
    {
        get => _tier1?.RegionExits ?? 0;
        set => Tier1.RegionExits = value;
    }

    /// <summary>Region heads: set when the region is to be rebuilt from the profile gathered since.</summary>
    public bool RecompileWanted
    {
        get => _tier1?.RecompileWanted ?? false;
        set
        {
            if (value || _tier1 != null) Tier1.RecompileWanted = value;
        }
    }

    /// <summary>Region heads: the members' indirect targets known when the region was compiled.</summary>
    public int RegionIndirectTargets
    {
        get => _tier1?.RegionIndirectTargets ?? 0;
        set => Tier1.RegionIndirectTargets = value;
    }

    public int Recompiles
    {
        get => _tier1?.Recompiles ?? 0;
        set => Tier1.Recompiles = value;
    }

    /// <summary>Set once some compiled region contains this block.</summary>
    public volatile bool InRegion;

    /// <summary>True if the guest code this block's translation depends on overlaps [start, end).</summary>
    public bool Overlaps(ulong start, ulong end)
    {
        if (StartPc < end && EndPc > start) return true;
        if (RegionMembers is { } members)
            foreach (var m in members)
                if (m.StartPc < end && m.EndPc > start) return true;
        return false;
    }

    /// <summary>
    /// Links of Tier 1 code, one per exit number (CpuContext.LastExit, masked): where that exit went last time.
    /// Allocated when the code is published.
    /// </summary>
    public TranslatedBlock?[]? ExitLinks;

    /// <summary>Exit links per compiled block (a power of two; higher exit numbers share slots).</summary>
    public const int ExitLinkSlots = 32;

    /// <summary>
    /// Distinct PCs this block's indirect branch (BR, BLR, RET) was seen to go to, recorded by the dispatcher
    /// on link misses; a region built later includes those blocks and branches to them inside its method.
    /// Entries are written before <see cref="IndirectTargetCount"/> counts them.
    /// </summary>
    public ulong[]? IndirectTargets;
    public volatile int IndirectTargetCount;

    /// <summary>Set when the indirect branch is a RET (its targets are return sites).</summary>
    public bool IndirectIsReturn;

    /// <summary>Indirect-branch targets recorded per block (an interpreter's opcode handlers, a few call sites).</summary>
    public const int MaxIndirectTargets = 16;

    private const int FirstIndirectTargets = 4;

    /// <summary>Records <paramref name="pc"/> as a target of this block's indirect branch (the dispatcher's miss path).</summary>
    public void RecordIndirectTarget(ulong pc)
    {
        int n = IndirectTargetCount;
        if (n >= MaxIndirectTargets) return;
        // Most branches (returns above all) see a few targets: the record starts small and grows to the maximum.
        var targets = IndirectTargets ??= new ulong[FirstIndirectTargets];
        // Clamped: racing threads may leave a shorter array than the count (each reader clamps too).
        int known = Math.Min(n, targets.Length);
        for (int i = 0; i < known; i++)
            if (targets[i] == pc) return;
        if (n >= targets.Length)
        {
            // Published before the count, so a reader that sees the count normally finds the entries.
            var grown = new ulong[MaxIndirectTargets];
            for (int i = 0; i < targets.Length; i++) grown[i] = targets[i];
            IndirectTargets = targets = grown;
        }
        // Racing guest threads may lose a record or store one twice; both only change which blocks a region holds.
        targets[n] = pc;
        IndirectTargetCount = n + 1;
    }

    /// <summary>True if <paramref name="pc"/> is among the recorded targets, or the record is full (nothing more to learn).</summary>
    public bool KnowsIndirectTarget(ulong pc)
    {
        int n = IndirectTargetCount;
        if (n >= MaxIndirectTargets) return true;
        var targets = IndirectTargets;
        if (targets == null) return false;
        int known = Math.Min(n, targets.Length);
        for (int i = 0; i < known; i++)
            if (targets[i] == pc) return true;
        return false;
    }

    // Links to successor blocks, so the dispatcher skips the cache lookup on the common path.
    public TranslatedBlock? Link0;
    public TranslatedBlock? Link1;

    public TranslatedBlock(IrBlock ir, InterpretedBlock cold) : this(ir, cold, null)
    {
    }

    /// <summary>
    /// With <paramref name="rebuildIr"/> (which must return IR equal to <paramref name="ir"/>, e.g. by
    /// retranslating <see cref="IrBlock.GuestWords"/>), the IR is not kept.
    /// </summary>
    public TranslatedBlock(IrBlock ir, InterpretedBlock cold, Func<TranslatedBlock, IrBlock>? rebuildIr) : this(ir, rebuildIr, cold)
    {
    }

    /// <summary>A block whose cold-tier form is prepared from <paramref name="ir"/> (already optimized) right into it.</summary>
    public TranslatedBlock(IrBlock ir, Func<TranslatedBlock, IrBlock>? rebuildIr) : this(ir, rebuildIr, null)
    {
    }

    private TranslatedBlock(IrBlock ir, Func<TranslatedBlock, IrBlock>? rebuildIr, InterpretedBlock? cold) : base(FormOf(ir, cold))
    {
        StartPc = ir.StartPc;
        LinkPc = ir.StartPc;
        EndPc = ir.EndPc;
        GuestWords = ir.GuestWords;
        IrInstructionCount = ir.Insts.Count;
        var term = ir.Terminator;
        TerminatorOp = term.Op;
        TerminatorImm = term.Imm;
        TerminatorImm2 = term.Imm2;
        _irSource = rebuildIr != null && GuestWords != null ? rebuildIr : ir;
    }
}
