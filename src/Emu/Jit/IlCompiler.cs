using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Memory;

namespace Emu.Jit;

/// <summary>
/// Tier 1: compiles a block's IR to IL in a DynamicMethod. Guest registers are cached in IL locals
/// (loaded at first use, written back at exits and around helpers that see the context); SSA values
/// live in IL locals that are reused once a value is dead, so RyuJIT can enregister them.
/// </summary>
public static unsafe partial class IlCompiler
{
    /// <summary>
    /// The guest memory's Base when it is a 32-bit displacement (GuestMemory.BaseIsDisplacement), else 0: set by the
    /// Tier 1 compiler around its compiles. Code then adds it as a constant (in the x86 addressing mode) instead of
    /// loading it from the context into a local, which RyuJIT kept in a host register for the whole method.
    /// </summary>
    [ThreadStatic]
    private static ulong t_memoryBase;

    /// <summary>Sets this thread's constant memory base (see <see cref="t_memoryBase"/>) and returns the one before.</summary>
    internal static ulong SetThreadMemoryBase(ulong memoryBase)
    {
        var saved = t_memoryBase;
        t_memoryBase = memoryBase;
        return saved;
    }

    /// <summary>
    /// Compiles and JITs <paramref name="block"/>. Should the IL be rejected (a bug here), the block runs
    /// in the cold tier instead of taking the process down from the background compiler thread.
    /// </summary>
    public static BlockCode Compile(IrBlock block)
    {
        try
        {
            return CompileOrThrow(block);
        }
        catch (Exception e) when (e is NotSupportedException or InvalidProgramException or InvalidOperationException)
        {
            Interlocked.Increment(ref _fallbacks);
            return InterpretedBlock.Prepare(block).Execute;
        }
    }

    private static int _fallbacks;

    /// <summary>Blocks that could not be compiled and run in the cold tier (should stay 0).</summary>
    public static int Fallbacks => Volatile.Read(ref _fallbacks);

    /// <summary>Compiles and JITs <paramref name="block"/>; throws if the IL is rejected.</summary>
    internal static BlockCode CompileOrThrow(IrBlock block)
    {
        var code = new BlockEmitter([block], region: false).Emit();
        code(null); // RyuJIT compiles now and rejects invalid IL here, not later on a guest thread
        return code;
    }

    /// <summary>
    /// Compiles a region: <paramref name="blocks"/>[0] is the entry, branches between the blocks are IL
    /// branches and guest registers stay in locals until the region is left. <paramref name="indirectTargets"/>
    /// (per block, optional): PCs its indirect branch is expected to reach; those in the region stay in the
    /// method. Null if the IL is rejected.
    /// </summary>
    public static BlockCode? CompileRegion(IReadOnlyList<IrBlock> blocks, IReadOnlyList<ulong[]>? indirectTargets = null)
    {
        try
        {
            var code = new BlockEmitter(blocks, region: true) { IndirectTargets = indirectTargets }.Emit();
            code(null);
            return code;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidProgramException or InvalidOperationException)
        {
            Interlocked.Increment(ref _fallbacks);
            return null;
        }
    }

    /// <summary>Forces RyuJIT to compile <paramref name="code"/> now (on the calling thread) without running guest code.</summary>
    public static void Prejit(BlockCode code) => code(null);

    /// <summary>What compiled delegates are closed over (see the DynamicMethod signature).</summary>
    internal sealed class ClosureTarget(int entry = 0)
    {
        public static readonly ClosureTarget Instance = new();

        /// <summary>Multi-entry regions: the block the delegate enters at (see CompileRegionWithEntries).</summary>
        public readonly int Entry = entry;

        /// <summary>The block whose code this is and its dispatcher, bound when the dispatcher links an exit: direct transfers read its links.</summary>
        public TranslatedBlock? Block;
        public Dispatcher? Owner;

        /// <summary>Per exit number (masked): where the code went on to directly last time (see DirectTransfers).</summary>
        public DirectTransfers.Link?[] Links = DirectTransfers.NoLinks;

        /// <summary>Direct transfers left before the next one is counted into the region's exits (see DirectTransfers.NextCode).</summary>
        public int ExitBudget;
    }

    /// <summary>
    /// A constant of at most <see cref="GuestMemory.MaxUnmaskedOffset"/> either way (it goes into the displacement), or a
    /// value known to lie in [0, <see cref="GuestMemory.MaxUnmaskedValue"/>]: a 32-bit index, scaled by up to 4.
    /// </summary>
    internal static bool IsSmallOffset(IrInst v) =>
        v.Op == IrOp.Const ? (long)v.Imm is >= -GuestMemory.MaxUnmaskedOffset and <= GuestMemory.MaxUnmaskedOffset : UpperBound(v, 0) >= 0;

    /// <summary>An upper bound (at most <see cref="GuestMemory.MaxUnmaskedValue"/>) of a value that is never negative, else -1.</summary>
    private static long UpperBound(IrInst v, int depth)
    {
        const long max = GuestMemory.MaxUnmaskedValue;
        const int maxBits = GuestMemory.MaxUnmaskedValueBits;
        if (depth > 4) return -1;
        long bound = v.Op switch
        {
            IrOp.Const => v.Imm <= max ? (long)v.Imm : -1,
            IrOp.ZeroExtend => v.Imm <= maxBits ? (1L << (int)v.Imm) - 1 : -1,
            IrOp.Load => v.Imm <= 4 ? (1L << (8 * (int)v.Imm)) - 1 : -1,
            IrOp.And => MinBound(UpperBound(v.A!, depth + 1), UpperBound(v.B!, depth + 1)),
            IrOp.Add when v.Size == 64 => UpperBound(v.A!, depth + 1) is >= 0 and var a && UpperBound(v.B!, depth + 1) is >= 0 and var b ? a + b : -1,
            IrOp.Shl when v.B!.Op == IrOp.Const && v.B.Imm <= maxBits => UpperBound(v.A!, depth + 1) is >= 0 and var a && a <= max >> (int)v.B.Imm ? a << (int)v.B.Imm : -1,
            IrOp.Lsr when v.B!.Op == IrOp.Const && v.B.Imm < v.Size => v.Size - (int)v.B.Imm <= maxBits ? (1L << (v.Size - (int)v.B.Imm)) - 1
                : UpperBound(v.A!, depth + 1) is >= 0 and var a ? a >> (int)v.B.Imm : -1,
            _ => -1,
        };
        return bound <= max ? bound : -1;
    }

    /// <summary>The bound of an AND: the smaller known one (either operand bounds it).</summary>
    private static long MinBound(long a, long b) => a < 0 ? b : b < 0 ? a : Math.Min(a, b);

    private sealed partial class BlockEmitter
    {
        // Guest state cache slots: X0..X30+SP, NZCV, the system registers, V0..V31.
        private const int FlagsSlot = 32, SysBase = 33, SysCount = 4, VecBase = SysBase + SysCount, StateSlots = VecBase + 32;
        private const int FpcrSlot = SysBase + (int)SysReg.Fpcr, FpsrSlot = SysBase + (int)SysReg.Fpsr;

        private static readonly Type V128 = typeof(Vector128<byte>);
        private static readonly Type[] SizeArgs2 = [typeof(ulong), typeof(ulong), typeof(int)];
        private static readonly Type[] SizeArgs1 = [typeof(ulong), typeof(int)];

        private readonly IReadOnlyList<IrBlock> _blocks;
        private readonly DynamicMethod _method;
        private readonly ILGenerator _il;
        private List<IrInst> _insts = null!;
        private LocalBuilder?[] _values = null!;
        private int[] _lastUse = null!;
        private int[] _useCount = null!;
        // Flags values never computed: every use is a CondHolds that compares the operands directly.
        private bool[] _fusedFlags = null!;
        // Regions: block labels by guest PC, and the state slots read or written anywhere.
        private readonly bool _region;
        private BlockLabels _labels = null!;
        private readonly bool[] _usedSlots = new bool[StateSlots];
        private int _blockOrder;
        // A condition whose only user is the closing Branch: emitted there, so RyuJIT sees compare-and-jump.
        private int _deferredCondition = -1;
        // B.cond after CCMP: the closing Branch's Select(c, condition, constant) and that condition, both used only
        // there: emitted as jumps (on c, then on the condition's compare), not as values selected and then tested.
        private int _deferredBranchSelect = -1, _deferredSelectedCondition = -1;
        // Regions: NZCV is live into a block when it may be read (or leave the region) before being written.
        // A block's last SetFlags is deferred: the flags are computed only on the paths that need them
        // (exits and edges into blocks where they are live), not on every trip round a loop.
        private bool[] _flagsLiveIn = [];
        // Regions: NZCV is read in the region (GetFlags, a context helper) before being written. Where flags are
        // live only because an exit may follow, an edge leaves them lazy instead: the flags op's kind and
        // operands in locals, computed only when an exit writes NZCV back (a jump table's bounds check, whose
        // CMP every handler's path overwrites, then costs three moves, not the NZCV packing).
        private bool[] _flagsReadIn = [];
        private LocalBuilder? _lazyKind, _lazyA, _lazyB;
        private int _deferredSetFlags = -1;
        // A CCMP's Select(c, flags op, constant) that only the deferred SetFlags reads: emitted with it, not before.
        private int _deferredSelect = -1;
        private IrInst? _pendingFlags;
        private readonly Stack<LocalBuilder> _freeScalars = new(), _freeVectors = new();

        // The FP fast-path test (default FPCR, FPSR.IXC set: see FpScalarFast), passed to the helpers'
        // …Guarded forms. The exact paths only set FPSR bits, so a test that passed stays true until the code
        // writes FPCR/FPSR or calls a helper that may (which store 0 in it): the first use in a block
        // evaluates it only while it is 0, so a region's loop tests FPCR/FPSR once, not on every trip.
        private LocalBuilder? _fpFast;
        private bool _fpFastValid;
        // Low64 calls reading a FromScalar(x) of the same block: they push x (scalar FP results stay scalar).
        private IrInst?[] _scalarOf = null!;

        private readonly LocalBuilder?[] _state = new LocalBuilder?[StateSlots];
        private readonly bool[] _loaded = new bool[StateSlots], _dirty = new bool[StateSlots];
        private LocalBuilder? _memBase, _memMask;

        public BlockEmitter(IReadOnlyList<IrBlock> blocks, bool region)
        {
            _blocks = blocks;
            _region = region;
            // Argument 0 is a dummy closure: a delegate closed over an instance skips the shuffle thunk
            // that invoking an open static delegate goes through.
            // Not an interpolated string: its AppendFormatted<ulong> would be host JIT at the first compile.
            _method = new DynamicMethod((_region ? "region_" : "block_") + blocks[0].StartPc.ToString("x", System.Globalization.CultureInfo.InvariantCulture), typeof(ulong), [typeof(ClosureTarget), typeof(CpuContext*)], typeof(IlCompiler).Module, skipVisibility: true);
            _il = _method.GetILGenerator();
        }

        /// <summary>Per-block analysis: value lifetimes, fused flags, the condition deferred to the branch.</summary>
        private void BeginBlock(IrBlock block)
        {
            _insts = block.Insts;
            int n = block.Renumber();
            _values = new LocalBuilder?[n];
            _lastUse = new int[n];
            _useCount = new int[n];
            _fusedFlags = new bool[n];
            _deferredCondition = -1;
            _deferredBranchSelect = _deferredSelectedCondition = -1;

            _deferredSetFlags = _region ? FindDeferrableSetFlags() : -1;
            _deferredSelect = -1;
            _pendingFlags = null;
            _fpFastValid = false;
            _scalarOf = new IrInst?[n];
            var users = UserLists.Begin(_insts.Count, out var userLists);
            foreach (var inst in _insts)
                foreach (var o in inst.Operands())
                {
                    _lastUse[o.Index] = inst.Index;
                    _useCount[o.Index]++;
                    (users[o.Index] ??= userLists.Next()).Add(inst);
                }
            foreach (var inst in _insts)
            {
                if (PassSupport.IsSimdHelper(inst, nameof(Frontend.Translation.SimdHelpers.Low64)) && inst.Args![0] is { } source
                    && PassSupport.IsSimdHelper(source, nameof(Frontend.Translation.SimdHelpers.FromScalar)))
                {
                    var scalar = source.Args![0];
                    _scalarOf[inst.Index] = scalar;
                    _lastUse[scalar.Index] = Math.Max(_lastUse[scalar.Index], inst.Index);
                    _useCount[source.Index]--;
                }
            }
            FindWordLaneMoves();
            FindSplitAddresses();
            AnalyzeFpTypes();
            var term = _insts[^1];
            _jumpTableIndex = null;
            if (_region && term.Op == IrOp.JumpIndirect && JumpTableParts(term.A!) is ({ } jumpIndex, _) && jumpIndex.Op != IrOp.Const)
            {
                // A switch's jump table: the dispatch computes its slot from the index (EmitIndirectInRegion).
                _jumpTableIndex = jumpIndex;
                _lastUse[jumpIndex.Index] = Math.Max(_lastUse[jumpIndex.Index], term.Index);
            }
            if (_deferredSetFlags >= 0 && _insts[_deferredSetFlags].A is { Op: IrOp.Select } select && users[select.Index]!.Count == 1)
                _deferredSelect = select.Index;
            foreach (var inst in _insts)
            {
                if (inst.Op is not (IrOp.FlagsSub or IrOp.FlagsLogic or IrOp.FlagsAdd or IrOp.FlagsAddCarry) || users[inst.Index] is not { } us) continue;
                // A fusable CondHolds compares the operands directly, even when the flags are also needed
                // (e.g. for SetFlags): that keeps the branch off the flags computation's critical path.
                foreach (var u in us)
                    if (IsDirectCondition(u))
                        foreach (var o in inst.Operands())
                            _lastUse[o.Index] = Math.Max(_lastUse[o.Index], u.Index);
                _fusedFlags[inst.Index] = us.All(u => IsDirectCondition(u) || u.Index == _deferredSetFlags || u.Index == _deferredSelect);
            }
            if (_deferredSetFlags >= 0)
            {
                // The deferred flags are computed at the terminator at the latest: keep what they need alive.
                var flags = _insts[_deferredSetFlags].A!;
                if (_deferredSelect >= 0)
                {
                    _lastUse[flags.A!.Index] = term.Index;
                    _lastUse[flags.C!.Index] = term.Index;
                    flags = flags.B!;
                }
                if (_fusedFlags[flags.Index])
                    foreach (var o in flags.Operands()) _lastUse[o.Index] = term.Index;
                else _lastUse[flags.Index] = term.Index;
            }
            if (term.Op == IrOp.Branch && term.A is { Op: IrOp.CondHolds or IrOp.Compare } cond && _useCount[cond.Index] == 1)
            {
                _deferredCondition = cond.Index;
                KeepConditionInputsUntil(cond, term.Index);
            }
            if (term.Op == IrOp.Branch && term.A is { Op: IrOp.Select } branchSelect && _useCount[branchSelect.Index] == 1 && branchSelect.C!.IsConst
                && branchSelect.B is { Op: IrOp.CondHolds or IrOp.Compare } selected && _useCount[selected.Index] == 1)
            {
                _deferredBranchSelect = branchSelect.Index;
                _deferredSelectedCondition = selected.Index;
                _lastUse[branchSelect.A!.Index] = term.Index;
                _lastUse[branchSelect.C.Index] = term.Index;
                KeepConditionInputsUntil(selected, term.Index);
            }
            FindValuesWithoutLocals(users);
            FindLow32Values(users);
        }

        /// <summary>
        /// A condition whose compare is emitted at the Branch (<paramref name="until"/>): everything it reads stays
        /// alive until then, and for a direct condition (compared from its flags' operands) those operands too.
        /// </summary>
        private void KeepConditionInputsUntil(IrInst cond, int until)
        {
            foreach (var o in cond.Operands())
            {
                _lastUse[o.Index] = until;
                if (IsDirectCondition(cond))
                    foreach (var f in o.Operands()) _lastUse[f.Index] = until;
            }
        }

        // Per value: FromScalar(ZeroExtend(x, 32)) (FMOV Sd, Wn) -> x, emitted as one movd from x instead of a
        // zero-extension and a movq.
        private IrInst?[] _wordLaneOf = [];

        private void FindWordLaneMoves()
        {
            _wordLaneOf = new IrInst?[_values.Length];
            foreach (var inst in _insts)
            {
                if (!PassSupport.IsSimdHelper(inst, nameof(Frontend.Translation.SimdHelpers.FromScalar)) || inst.Args![0] is not { Op: IrOp.ZeroExtend, Imm: 32 } extend) continue;
                var source = extend.A!;
                _wordLaneOf[inst.Index] = source;
                _lastUse[source.Index] = Math.Max(_lastUse[source.Index], inst.Index);
            }
        }

        // Per memory access: o of the address Add(b, o) it takes apart, an offset of known bound (see GuestMemory.GuardSize and UpperGuardSize).
        private IrInst?[] _addressOffset = [];

        /// <summary>The other operand of split access <paramref name="access"/>'s address: the base that is masked.</summary>
        private static IrInst SplitBase(IrInst access, IrInst offset) => access.A!.A == offset ? access.A.B! : access.A.A!;

        /// <summary>
        /// Accesses at Add(b, o) with a small constant or bounded o get host address (Base + (b &amp; Mask)) + o: the
        /// masked base of a stack frame, a struct or a table is then one value for all its accesses, which RyuJIT
        /// computes once (out of a loop too) and o goes into the x86 addressing mode, where masking the sum needed
        /// an add and an AND per access on the address's critical path (a table lookup per byte in CRC-32).
        /// </summary>
        private void FindSplitAddresses()
        {
            _addressOffset = new IrInst?[_values.Length];
            foreach (var inst in _insts)
            {
                if (inst.Op is not (IrOp.Load or IrOp.Store or IrOp.LoadVec or IrOp.StoreVec) || inst.A is not { Op: IrOp.Add, Size: 64 } address) continue;
                IrInst b, o;
                if (IsSmallOffset(address.B!)) (b, o) = (address.A!, address.B!);
                else if (IsSmallOffset(address.A!)) (b, o) = (address.B!, address.A!);
                else continue;
                _addressOffset[inst.Index] = o;
                // (Two statements, not a loop over [b, o]: that inline array's helpers would be host JIT.)
                _useCount[address.Index]--;
                _useCount[b.Index]++;
                _useCount[o.Index]++;
                _lastUse[b.Index] = Math.Max(_lastUse[b.Index], inst.Index);
                _lastUse[o.Index] = Math.Max(_lastUse[o.Index], inst.Index);
            }
        }

        // Per value: a 32-bit result every user reads only the low half of, so its zero-extension (conv.u4/conv.u8,
        // which RyuJIT turns into a register copy per op) is left to the users that need it.
        private bool[] _low32Only = [];

        private void FindLow32Values(List<IrInst>?[] users)
        {
            _low32Only = new bool[_values.Length];
            foreach (var inst in _insts)
            {
                if (!PassSupport.IsWordArithmetic(inst) || users[inst.Index] is not { } us) continue;
                bool low = true;
                foreach (var u in us) low &= PassSupport.ReadsOnlyLow32(u, inst);
                _low32Only[inst.Index] = low;
            }
        }


        // Per value: a constant pushed at each use (no local), or the state slot whose local a register read
        // is used from (-1: the value gets its own local). Fewer locals and stores: less for RyuJIT to do.
        private bool[] _constAtUse = [];
        private int[] _readsSlot = [];

        private void FindValuesWithoutLocals(List<IrInst>?[] users)
        {
            int n = _values.Length;
            _constAtUse = new bool[n];
            _readsSlot = new int[n];
            foreach (var inst in _insts)
            {
                int i = inst.Index;
                _readsSlot[i] = -1;
                if (inst.Op == IrOp.Const)
                {
                    // A constant helper argument as ldc lets RyuJIT fold the helper's switch on it while inlining
                    // (from a local it imports every case). FP-status helpers may need their arguments in locals
                    // (the exact paths after the body reload them).
                    bool fpStatusUser = false;
                    if (users[i] is { } us)
                        foreach (var u in us) fpStatusUser |= u.Op == IrOp.Call && u.Helper!.UsesOnlyFpStatus;
                    _constAtUse[i] = !fpStatusUser;
                }
                else if (inst.Op is IrOp.GetReg or IrOp.GetVec && StateLocalHoldsUntilLastUse(inst)) _readsSlot[i] = SlotOf(inst);
            }
            _definesSlot = new int[n];
            for (int i = 0; i < n; i++) _definesSlot[i] = -1;
            // In order: each decision looks at the earlier values computed into the same register.
            foreach (var inst in _insts) _definesSlot[inst.Index] = RegisterDefinedInto(inst, users[inst.Index]);
        }

        // Per value: the state slot whose local it is computed into (-1: none). A value that becomes a guest
        // register (ADD X5, ...; later uses of it) would otherwise be a local and a copy in the register's local:
        // RyuJIT coalesces neither, so in big regions both were spilled (two stores per result).
        private int[] _definesSlot = [];

        /// <summary>
        /// The general or vector register slot <paramref name="v"/> can be computed straight into: its first
        /// SetReg/SetVec, when nothing between the definition and that write reads or writes the register or may
        /// change it in the context, no older read of the register that lives in its local is used after the
        /// definition, and the register is not written again (nor reloaded) until the value's last use.
        /// </summary>
        private int RegisterDefinedInto(IrInst v, List<IrInst>? users)
        {
            if (users == null || v.Op is IrOp.Const or IrOp.GetReg or IrOp.GetVec || _constAtUse[v.Index] || _readsSlot[v.Index] >= 0) return -1;
            IrInst? write = null;
            foreach (var u in users)
                if (u.Op is IrOp.SetReg or IrOp.SetVec && u.A == v && (write == null || u.Index < write.Index)) write = u;
            if (write == null) return -1;
            int slot = SlotOf(write);
            if ((v.Type == IrType.V128) != (slot >= VecBase)) return -1;
            for (int k = v.Index + 1; k < write.Index; k++)
            {
                var inst = _insts[k];
                if (SlotOf(inst) == slot || (inst.Op == IrOp.Call && inst.Helper!.TakesContext)) return -1;
            }
            // Earlier values living in the register's local (read from it, or computed into it) must be dead.
            for (int r = 0; r < v.Index; r++)
                if ((_readsSlot[r] == slot || _definesSlot[r] == slot) && _lastUse[r] > v.Index) return -1;
            for (int k = write.Index + 1; k <= _lastUse[v.Index] && k < _insts.Count; k++)
            {
                var inst = _insts[k];
                if (inst.Op is IrOp.SetReg or IrOp.SetVec && SlotOf(inst) == slot) return -1;
                if (inst.Op == IrOp.Call && inst.Helper!.TakesContext) return -1;
            }
            return slot;
        }

        /// <summary>
        /// True if the register's local keeps the value <paramref name="read"/> returned until its last use: no
        /// write of that register and no helper that may change it in the context (after which the local is
        /// reloaded) comes in between.
        /// </summary>
        private bool StateLocalHoldsUntilLastUse(IrInst read)
        {
            int slot = SlotOf(read);
            int last = _lastUse[read.Index];
            for (int k = read.Index + 1; k <= last && k < _insts.Count; k++)
            {
                var inst = _insts[k];
                if (inst.Op is IrOp.SetReg or IrOp.SetVec && SlotOf(inst) == slot) return false;
                if (inst.Op == IrOp.Call && inst.Helper!.TakesContext) return false;
            }
            return true;
        }

        /// <summary>True for a CondHolds that is emitted as a comparison of its flags op's operands.</summary>
        private static bool IsDirectCondition(IrInst u) =>
            u.Op == IrOp.CondHolds && u.A!.Op is (IrOp.FlagsSub or IrOp.FlagsLogic) && CanFuse(u.A.Op, (int)u.Imm);

        /// <summary>A CCMP/CCMN's NZCV: Select(c, FlagsSub/FlagsAdd/FlagsLogic, constant).</summary>
        private static bool IsFlagsSelect(IrInst v) =>
            v.Op == IrOp.Select && v.B!.Op is IrOp.FlagsSub or IrOp.FlagsAdd or IrOp.FlagsLogic && v.C!.IsConst;

        /// <summary>The block's last SetFlags if it can wait for the terminator (nothing reads NZCV after it), else -1.</summary>
        private int FindDeferrableSetFlags()
        {
            for (int i = _insts.Count - 1; i >= 0; i--)
            {
                var inst = _insts[i];
                if (inst.Op is IrOp.GetFlags || (inst.Op == IrOp.Call && inst.Helper!.TakesContext && !inst.Helper.UsesOnlyFpStatus)) return -1;
                if (inst.Op == IrOp.SetFlags)
                    return inst.A!.Op is IrOp.FlagsSub or IrOp.FlagsLogic or IrOp.FlagsAdd or IrOp.FlagsAddCarry || IsFlagsSelect(inst.A) ? i : -1;
            }
            return -1;
        }

        /// <summary>
        /// True if block <paramref name="b"/> ends in a call (BL, BLR) or a RET. The procedure call standard leaves
        /// NZCV undefined at both (no function reads the flags it is called or returned to with), so the flags are
        /// dead where such a block leaves the region: the caller's CMP/CCMP before a comparator's BLR (qsort's merge
        /// loop) then costs no lazy-flags stores on every trip. The context may hold stale flags at those exits.
        /// </summary>
        private bool EndsInCallOrReturn(int b)
        {
            uint last = LastGuestWord(b);
            return BranchWords.IsBl(last) || BranchWords.IsBlr(last) || BranchWords.IsRet(last);
        }

        /// <summary>Block <paramref name="b"/>'s last instruction word (0 if its words are not recorded).</summary>
        private uint LastGuestWord(int b) => _blocks[b].GuestWords is { Length: > 0 } words ? words[^1] : 0;

        /// <summary>Fixed point of NZCV liveness over the region's blocks (exits and back edges read NZCV, except calls and returns).</summary>
        private void AnalyzeFlagsLiveness()
        {
            int n = _blocks.Count;
            var readsFirst = new bool[n];
            var writes = new bool[n];
            for (int b = 0; b < n; b++)
            {
                bool callOrReturn = EndsInCallOrReturn(b);
                foreach (var inst in _blocks[b].Insts)
                {
                    if (inst.Op == IrOp.SetFlags)
                    {
                        writes[b] = true;
                        break;
                    }
                    if (inst.Op is IrOp.GetFlags or IrOp.Exit || (inst.Op == IrOp.JumpIndirect && !callOrReturn)
                        || (inst.Op == IrOp.Call && inst.Helper!.TakesContext && !inst.Helper.UsesOnlyFpStatus))
                    {
                        readsFirst[b] = true;
                        break;
                    }
                }
            }
            _flagsLiveIn = new bool[n];
            for (bool changed = true; changed;)
            {
                changed = false;
                for (int b = n - 1; b >= 0; b--)
                {
                    bool live = readsFirst[b];
                    if (!live && !writes[b])
                        foreach (ulong t in Successors(b))
                            live |= EdgeNeedsFlags(b, t);
                    if (live && !_flagsLiveIn[b])
                    {
                        _flagsLiveIn[b] = true;
                        changed = true;
                    }
                }
            }
            // The same without exits: only reads inside the region need the packed NZCV in its local.
            var readsInRegion = new bool[n];
            for (int b = 0; b < n; b++)
                foreach (var inst in _blocks[b].Insts)
                {
                    if (inst.Op == IrOp.SetFlags) break;
                    if (inst.Op is IrOp.GetFlags || (inst.Op == IrOp.Call && inst.Helper!.TakesContext && !inst.Helper.UsesOnlyFpStatus))
                    {
                        readsInRegion[b] = true;
                        break;
                    }
                }
            _flagsReadIn = new bool[n];
            for (bool changed = true; changed;)
            {
                changed = false;
                for (int b = n - 1; b >= 0; b--)
                {
                    bool read = readsInRegion[b];
                    if (!read && !writes[b])
                        foreach (ulong t in Successors(b))
                            read |= _labels.TryGetValue(t, out var target) && _flagsReadIn[target.Order];
                    if (read && !_flagsReadIn[b])
                    {
                        _flagsReadIn[b] = true;
                        changed = true;
                    }
                }
            }
            bool lazy = false;
            for (int b = 0; b < n; b++) lazy |= _flagsLiveIn[b] && !_flagsReadIn[b];
            if (lazy)
            {
                _lazyKind = _il.DeclareLocal(typeof(int));
                _lazyA = _il.DeclareLocal(typeof(ulong));
                _lazyB = _il.DeclareLocal(typeof(ulong));
            }
        }

        /// <summary>True if the region block at <paramref name="pc"/> reads NZCV before writing it (not counting exits).</summary>
        private bool FlagsReadIn(ulong pc) => _labels.TryGetValue(pc, out var t) && _flagsReadIn[t.Order];

        /// <summary>
        /// On an edge into blocks that need NZCV only at exits: the deferred flags become lazy (kind and operands
        /// in locals) instead of being computed, unless they are already a value. Does not settle the deferral.
        /// </summary>
        private void StoreLazyFlags()
        {
            var v = _pendingFlags;
            if (v == null) return;
            if (_lazyKind == null)
            {
                MaterializeFlags(settle: false);
                return;
            }
            IrInst? selectedBy = null;
            if (v.Index == _deferredSelect && LocalOf(v.B!) == null && !_constAtUse[v.B!.Index])
            {
                // CCMP: NZCV = the constant, lazily overridden by the flags op when the condition held.
                selectedBy = v.A;
                Load(v.C!);
                _il.Emit(OpCodes.Stloc, StateLocal(FlagsSlot));
                v = v.B!;
            }
            int kind = v.Op switch { IrOp.FlagsSub => LazySub32, IrOp.FlagsAdd => LazyAdd32, IrOp.FlagsLogic => LazyLogic32, _ => 0 };
            if (kind == 0 || LocalOf(v) != null || _constAtUse[v.Index])
            {
                MaterializeFlags(settle: false);
                return;
            }
            if (v.Size == 64) kind++;
            Load(v.A!);
            _il.Emit(OpCodes.Stloc, _lazyA!);
            if (v.Op != IrOp.FlagsLogic)
            {
                Load(v.B!);
                _il.Emit(OpCodes.Stloc, _lazyB!);
            }
            _il.Emit(OpCodes.Ldc_I4, kind);
            if (selectedBy != null)
            {
                // Kind 0 (the constant stays) unless the condition (0 or 1) held.
                Load(selectedBy);
                _il.Emit(OpCodes.Conv_I4);
                _il.Emit(OpCodes.Mul);
            }
            _il.Emit(OpCodes.Stloc, _lazyKind);
            _loaded[FlagsSlot] = true;
            _dirty[FlagsSlot] = true;
        }

        private const int LazySub32 = 1, LazyAdd32 = 3, LazyLogic32 = 5;

        /// <summary>NZCV of a lazy flags op: kind as in StoreLazyFlags (32-bit, +1 for 64-bit).</summary>
        public static ulong LazyNzcv(int kind, ulong a, ulong b) => kind switch
        {
            LazySub32 => IrSemantics.FlagsSub(a, b, 32),
            LazySub32 + 1 => IrSemantics.FlagsSub(a, b, 64),
            LazyAdd32 => IrSemantics.FlagsAdd(a, b, 32),
            LazyAdd32 + 1 => IrSemantics.FlagsAdd(a, b, 64),
            LazyLogic32 => IrSemantics.FlagsLogic(a, 32),
            _ => IrSemantics.FlagsLogic(a, 64),
        };

        /// <summary>Before the NZCV local is written back: computes it from lazy flags if an edge left them lazy.</summary>
        private void SettleLazyFlags()
        {
            if (_lazyKind == null) return;
            var done = _il.DefineLabel();
            _il.Emit(OpCodes.Ldloc, _lazyKind);
            _il.Emit(OpCodes.Brfalse, done);
            _il.Emit(OpCodes.Ldloc, _lazyKind);
            _il.Emit(OpCodes.Ldloc, _lazyA!);
            _il.Emit(OpCodes.Ldloc, _lazyB!);
            _il.Emit(OpCodes.Call, LazyNzcvMethod);
            _il.Emit(OpCodes.Stloc, StateLocal(FlagsSlot));
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Stloc, _lazyKind);
            _il.MarkLabel(done);
        }

        /// <summary>After the NZCV local is written: lazy flags from before are stale.</summary>
        private void ClearLazyFlags()
        {
            if (_lazyKind == null) return;
            _il.Emit(OpCodes.Ldc_I4_0);
            _il.Emit(OpCodes.Stloc, _lazyKind);
        }

        private static MethodInfo? s_lazyNzcvMethod;

        private static MethodInfo LazyNzcvMethod => s_lazyNzcvMethod ??= typeof(BlockEmitter).GetMethod(nameof(LazyNzcv))!;

        private IEnumerable<ulong> Successors(int block)
        {
            var term = _blocks[block].Terminator;
            if (term.Op == IrOp.Jump) yield return term.Imm;
            if (term.Op == IrOp.Branch)
            {
                yield return term.Imm;
                yield return term.Imm2;
            }
        }

        /// <summary>True if NZCV must be up to date when block <paramref name="from"/> continues at <paramref name="pc"/>.</summary>
        private bool EdgeNeedsFlags(int from, ulong pc)
        {
            if (!_labels.TryGetValue(pc, out var target)) return !EndsInCallOrReturn(from); // leaves the region
            // A back edge's leave check is a region exit, which computes pending flags on its own path.
            return _flagsLiveIn[target.Order];
        }

        /// <summary>True if an edge of the current block's terminator enters a region block where NZCV is live.</summary>
        private bool FlagsLiveInSuccessor()
        {
            foreach (ulong pc in Successors(_blockOrder))
                if (_labels.TryGetValue(pc, out var t) && _flagsLiveIn[t.Order]) return true;
            return false;
        }

        /// <summary>Pushes the deferred flags value.</summary>
        private void EmitPendingFlagsValue()
        {
            EmitFlagsValue(_pendingFlags!);
        }

        /// <summary>Pushes the NZCV value of a flags op (or a deferred CCMP Select of one).</summary>
        private void EmitFlagsValue(IrInst v)
        {
            if (LocalOf(v) != null || _constAtUse[v.Index])
            {
                Load(v);
                return;
            }
            if (v.Op == IrOp.Select)
            {
                var otherwise = _il.DefineLabel();
                var done = _il.DefineLabel();
                Load(v.A!);
                _il.Emit(OpCodes.Brfalse, otherwise);
                EmitFlagsValue(v.B!);
                _il.Emit(OpCodes.Br, done);
                _il.MarkLabel(otherwise);
                Load(v.C!);
                _il.MarkLabel(done);
                return;
            }
            switch (v.Op)
            {
                case IrOp.FlagsSub: CallSemantics2(v, nameof(IrSemantics.FlagsSub)); break;
                case IrOp.FlagsAdd: CallSemantics2(v, nameof(IrSemantics.FlagsAdd)); break;
                case IrOp.FlagsLogic: CallSemantics1(v, nameof(IrSemantics.FlagsLogic), v.Size); break;
                default: EmitFlagsAddCarry(v); break;
            }
        }

        /// <summary>Computes the deferred flags into the NZCV local (on this path; <paramref name="settle"/> also ends the deferral).</summary>
        private void MaterializeFlags(bool settle)
        {
            if (_pendingFlags == null) return;
            EmitPendingFlagsValue();
            _il.Emit(OpCodes.Stloc, StateLocal(FlagsSlot));
            ClearLazyFlags();
            _loaded[FlagsSlot] = true;
            _dirty[FlagsSlot] = true;
            if (settle) _pendingFlags = null;
        }

        private static bool CanFuse(IrOp flagsOp, int cond) => flagsOp == IrOp.FlagsSub
            ? cond is not (4 or 5 or 6 or 7) // MI/PL/VS/VC need the subtraction's bits
            : cond is 0 or 1 or 4 or 5 or 10 or 11 or 12 or 13 or 14 or 15;

        public BlockCode Emit()
        {
            // Prejit calls with null: return at once without touching guest state.
            var start = _il.DefineLabel();
            _il.Emit(OpCodes.Ldarg_1);
            _il.Emit(OpCodes.Brtrue, start);
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Ret);
            _il.MarkLabel(start);
            // With InitLocals RyuJIT zeroes, at every call, each local it cannot see written before a read: in a
            // region that is every guest register some entry does not load, a frame cleared on each transfer into
            // it (4% of 7zz's CPU). The locals whose zero means something are zeroed here instead.
            _method.InitLocals = false;
            _fpFast = _il.DeclareLocal(typeof(ulong));
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Stloc, _fpFast);
            if (_blocks.Any(b => b.Insts.Any(i => i.Op is IrOp.Load or IrOp.Store or IrOp.LoadVec or IrOp.StoreVec)))
            {
                _memMask = _il.DeclareLocal(typeof(ulong));
                if (t_memoryBase == 0)
                {
                    _memBase = _il.DeclareLocal(typeof(ulong));
                    LoadContextField(CpuContext.OffsetOfMemBase, typeof(ulong));
                    _il.Emit(OpCodes.Stloc, _memBase);
                }
                LoadContextField(CpuContext.OffsetOfMemMask, typeof(ulong));
                _il.Emit(OpCodes.Stloc, _memMask);
            }
            if (_region) BeginRegion();
            if (_lazyKind != null)
            {
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Stloc, _lazyKind);
            }
            if (_region && _usedSlots[FlagsSlot])
            {
                // NZCV is dead where a call or return leaves (EndsInCallOrReturn), so an entry that does not load it
                // may reach such an exit, which writes the local back: a valid value (no flags), not stack garbage.
                _il.Emit(OpCodes.Ldc_I8, 0L);
                _il.Emit(OpCodes.Stloc, StateLocal(FlagsSlot));
            }
            if (_region) EmitRegionEntries();
            for (int b = 0; b < _blocks.Count; b++)
            {
                _blockOrder = b;
                BeginBlock(_blocks[b]);
                if (_region)
                {
                    _il.MarkLabel(_labels[_blocks[b].StartPc].Label);
                    // Invariant at every block start: the slots it uses are in locals (as are all that every entry
                    // reaching it loaded); those some path into it wrote may be newer than the context.
                    Array.Copy(_usedSlots, _loaded, StateSlots);
                    Array.Copy(_mayBeDirty[b], _dirty, StateSlots);
                }
                foreach (var inst in _insts)
                {
                    EmitInst(inst);
                    foreach (var o in inst.Operands())
                        if (_lastUse[o.Index] == inst.Index) Free(o);
                    if (_addressOffset[inst.Index] is { } offset)
                    {
                        // The parts of a split address (see FindSplitAddresses) are read here, not the Add.
                        if (_lastUse[offset.Index] == inst.Index) Free(offset);
                        var addressBase = SplitBase(inst, offset);
                        if (_lastUse[addressBase.Index] == inst.Index) Free(addressBase);
                    }
                }
            }
            if (_region) EmitSharedExit();
            EmitTransferTail();
            EmitFpSlowPaths();
            // A closure of its own: direct transfers find the block's links through it.
            return (BlockCode)_method.CreateDelegate(typeof(BlockCode), new ClosureTarget());
        }

        private static int SlotOf(IrInst inst) => inst.Op switch
        {
            IrOp.GetReg or IrOp.SetReg => (int)inst.Imm,
            IrOp.GetFlags or IrOp.SetFlags => FlagsSlot,
            IrOp.GetSys or IrOp.SetSys => SysBase + (int)inst.Imm,
            IrOp.GetVec or IrOp.SetVec => VecBase + (int)inst.Imm,
            _ => -1,
        };

        /// <summary>Labels every block and finds which guest registers the region keeps in locals where.</summary>
        private void BeginRegion()
        {
            _labels = new BlockLabels(_blocks, _il);
            AnalyzeFlagsLiveness();
            foreach (var block in _blocks)
                foreach (var inst in block.Insts)
                {
                    int slot = SlotOf(inst);
                    if (slot >= 0) _usedSlots[slot] = true;
                }
            AnalyzeRegionSlots();
        }

        // ---- values ----

        private void Load(IrInst v)
        {
            if (_constAtUse[v.Index])
            {
                EmitConstant(v.Imm);
                return;
            }
            var local = LocalOf(v) ?? throw new InvalidOperationException($"tier 1: v{v.Index} has no value");
            _il.Emit(OpCodes.Ldloc, local);
            if (local.LocalType != typeof(ulong) && local.LocalType != V128) EmitFpToBits(local.LocalType); // a typed FP value (IlCompiler.FpSlowPaths)
        }

        /// <summary>The local holding <paramref name="v"/> (its own, or the register's it was read from); null for a constant pushed at its uses.</summary>
        private LocalBuilder? LocalOf(IrInst v) => _values[v.Index] ?? (_readsSlot[v.Index] is int slot and >= 0 ? _state[slot] : null);

        /// <summary>Pushes a 64-bit constant in the shortest IL form.</summary>
        private void EmitConstant(ulong value)
        {
            if ((long)value is >= sbyte.MinValue and <= sbyte.MaxValue)
            {
                _il.Emit(OpCodes.Ldc_I4_S, (sbyte)(long)value);
                _il.Emit(OpCodes.Conv_I8);
            }
            else if (value <= uint.MaxValue)
            {
                _il.Emit(OpCodes.Ldc_I4, (int)(uint)value);
                _il.Emit(OpCodes.Conv_U8);
            }
            else _il.Emit(OpCodes.Ldc_I8, (long)value);
        }

        /// <summary>Stores the value on the stack as the result of <paramref name="inst"/>.</summary>
        private void Define(IrInst inst)
        {
            if (_useCount[inst.Index] == 0)
            {
                _il.Emit(OpCodes.Pop);
                _definingType = null;
                return;
            }
            var type = _definingType ?? (inst.Type == IrType.V128 ? V128 : typeof(ulong));
            _definingType = null;
            if (_definesSlot[inst.Index] is int slot and >= 0 && StateType(slot) == type)
            {
                _values[inst.Index] = StateLocal(slot);
                _il.Emit(OpCodes.Stloc, StateLocal(slot));
                return;
            }
            _definesSlot[inst.Index] = -1;
            var pool = PoolFor(type);
            var local = pool.Count > 0 ? pool.Pop() : _il.DeclareLocal(type);
            _values[inst.Index] = local;
            _il.Emit(OpCodes.Stloc, local);
        }

        private void Free(IrInst v)
        {
            var local = _values[v.Index];
            if (local == null) return;
            _values[v.Index] = null;
            if (_definesSlot[v.Index] >= 0) return; // a register's local, not a temporary
            PoolFor(local.LocalType).Push(local);
        }

        // ---- context and guest state ----

        private void ContextAddress(int offset)
        {
            _il.Emit(OpCodes.Ldarg_1);
            if (offset != 0)
            {
                _il.Emit(OpCodes.Ldc_I4, offset);
                _il.Emit(OpCodes.Add);
            }
        }

        private void LoadContextField(int offset, Type type)
        {
            ContextAddress(offset);
            if (type == V128) _il.Emit(OpCodes.Ldobj, V128);
            else _il.Emit(OpCodes.Ldind_I8);
        }

        private static int StateOffset(int slot) => slot switch
        {
            < FlagsSlot => CpuContext.OffsetOfX(slot),
            FlagsSlot => CpuContext.OffsetOfNzcv,
            < VecBase => CpuContext.OffsetOfSys((SysReg)(slot - SysBase)),
            _ => CpuContext.OffsetOfV(slot - VecBase),
        };

        private static Type StateType(int slot) => slot >= VecBase ? V128 : typeof(ulong);

        private LocalBuilder StateLocal(int slot) => _state[slot] ??= _il.DeclareLocal(StateType(slot));

        private void GetState(int slot)
        {
            if (slot == FlagsSlot) MaterializeFlags(settle: true);
            EnsureStateLoaded(slot);
            _il.Emit(OpCodes.Ldloc, StateLocal(slot));
        }

        /// <summary>Loads the register's local from the context unless it already holds the register.</summary>
        private void EnsureStateLoaded(int slot)
        {
            var local = StateLocal(slot);
            if (_loaded[slot]) return;
            LoadContextField(StateOffset(slot), StateType(slot));
            _il.Emit(OpCodes.Stloc, local);
            _loaded[slot] = true;
        }

        private void SetState(int slot, IrInst value)
        {
            // A value computed straight into this register's local is there already.
            if (!(_definesSlot[value.Index] == slot && _values[value.Index] == StateLocal(slot)))
            {
                Load(value);
                _il.Emit(OpCodes.Stloc, StateLocal(slot));
            }
            if (slot == FlagsSlot) ClearLazyFlags();
            _loaded[slot] = true;
            _dirty[slot] = true;
        }

        /// <summary>Writes dirty cached registers back to the context.</summary>
        private void Flush(bool clear = true)
        {
            // clear: false flushes on one path of several (an exit), which must not settle the deferral for the others.
            MaterializeFlags(settle: clear);
            for (int slot = 0; slot < StateSlots; slot++) FlushSlot(slot, clear);
        }

        private void FlushSlot(int slot, bool clear = true)
        {
            if (!_dirty[slot]) return;
            if (slot == FlagsSlot) SettleLazyFlags();
            ContextAddress(StateOffset(slot));
            _il.Emit(OpCodes.Ldloc, _state[slot]!);
            if (StateType(slot) == V128) _il.Emit(OpCodes.Stobj, V128);
            else _il.Emit(OpCodes.Stind_I8);
            if (clear) _dirty[slot] = false;
        }

        private void Invalidate() => Array.Clear(_loaded);

        // ---- ops ----

        // Reflection lookups are slow next to emitting an op: each method is looked up once per process.
        // Keyed by a string: a dictionary over reference types runs precompiled shared code, one over a tuple
        // of them is host JIT at the first compile of every process.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, MethodInfo> Methods = new();

        private static MethodInfo Method([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] Type type, string name, params Type[] args)
        {
            // Three-part Concats: five parts would build an inline array of strings (host JIT).
            string key = string.Concat(string.Concat(type.FullName, ".", name), "/", args.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (Methods.TryGetValue(key, out var found)) return found;
            var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Static, args) ?? throw new MissingMethodException(type.Name, name);
            return Methods.GetOrAdd(key, method);
        }

        private void CallSemantics2(IrInst inst, string name)
        {
            Load(inst.A!);
            Load(inst.B!);
            _il.Emit(OpCodes.Ldc_I4, (int)inst.Size);
            _il.Emit(OpCodes.Call, Method(typeof(IrSemantics), name, SizeArgs2));
        }

        private void CallSemantics1(IrInst inst, string name, int arg)
        {
            Load(inst.A!);
            _il.Emit(OpCodes.Ldc_I4, arg);
            _il.Emit(OpCodes.Call, Method(typeof(IrSemantics), name, SizeArgs1));
        }

        private void Truncate(int size)
        {
            if (size != 32) return;
            _il.Emit(OpCodes.Conv_U4);
            _il.Emit(OpCodes.Conv_U8);
        }

        private void Binary(IrInst inst, OpCode op)
        {
            Load(inst.A!);
            Load(inst.B!);
            _il.Emit(op);
            TruncateResult(inst);
        }

        private void TruncateResult(IrInst inst)
        {
            if (!_low32Only[inst.Index]) Truncate(inst.Size);
        }

        /// <summary>Pushes the host pointer for the guest address of memory access <paramref name="access"/>.</summary>
        private void HostAddress(IrInst access)
        {
            if (_memBase != null) _il.Emit(OpCodes.Ldloc, _memBase);
            else EmitConstant(t_memoryBase);
            var offset = _addressOffset[access.Index];
            Load(offset != null ? SplitBase(access, offset) : access.A!);
            _il.Emit(OpCodes.Ldloc, _memMask!);
            _il.Emit(OpCodes.And);
            _il.Emit(OpCodes.Add);
            if (offset != null)
            {
                Load(offset);
                _il.Emit(OpCodes.Add);
            }
            _il.Emit(OpCodes.Conv_U);
        }

        private void EmitInst(IrInst inst)
        {
            var il = _il;
            switch (inst.Op)
            {
                case IrOp.Nop:
                    return;
                case IrOp.Const when _constAtUse[inst.Index]:
                    return;
                case IrOp.Const:
                    il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                    break;
                case IrOp.GetReg or IrOp.GetVec when _readsSlot[inst.Index] >= 0:
                    EnsureStateLoaded(_readsSlot[inst.Index]);
                    return;
                case IrOp.GetReg: GetState((int)inst.Imm); break;
                case IrOp.SetReg: SetState((int)inst.Imm, inst.A!); return;
                case IrOp.GetFlags: GetState(FlagsSlot); break;
                case IrOp.SetFlags when inst.Index == _deferredSetFlags:
                    _pendingFlags = inst.A;
                    return;
                case IrOp.SetFlags: SetState(FlagsSlot, inst.A!); return;
                case IrOp.GetSys: GetState(SysBase + (int)inst.Imm); break;
                case IrOp.SetSys:
                    SetState(SysBase + (int)inst.Imm, inst.A!);
                    if (SysBase + (int)inst.Imm is FpcrSlot or FpsrSlot) InvalidateFpFast();
                    return;
                case IrOp.GetVec: GetState(VecBase + (int)inst.Imm); break;
                case IrOp.SetVec: SetState(VecBase + (int)inst.Imm, inst.A!); return;

                case IrOp.Add: Binary(inst, OpCodes.Add); break;
                case IrOp.Sub: Binary(inst, OpCodes.Sub); break;
                case IrOp.Mul: Binary(inst, OpCodes.Mul); break;
                case IrOp.And: Binary(inst, OpCodes.And); break;
                case IrOp.Or: Binary(inst, OpCodes.Or); break;
                case IrOp.Xor: Binary(inst, OpCodes.Xor); break;
                case IrOp.Not:
                    Load(inst.A!);
                    il.Emit(OpCodes.Not);
                    TruncateResult(inst);
                    break;
                case IrOp.Neg:
                    Load(inst.A!);
                    il.Emit(OpCodes.Neg);
                    TruncateResult(inst);
                    break;
                case IrOp.Shl or IrOp.Lsr or IrOp.Asr or IrOp.Ror: EmitShift(inst); break;
                case IrOp.UDiv: CallSemantics2(inst, nameof(IrSemantics.UDiv)); break;
                case IrOp.SDiv: CallSemantics2(inst, nameof(IrSemantics.SDiv)); break;
                case IrOp.FlagsAdd:
                    if (_fusedFlags[inst.Index]) return;
                    CallSemantics2(inst, nameof(IrSemantics.FlagsAdd));
                    break;
                case IrOp.FlagsSub:
                    if (_fusedFlags[inst.Index]) return;
                    CallSemantics2(inst, nameof(IrSemantics.FlagsSub));
                    break;
                case IrOp.UMulHigh or IrOp.SMulHigh:
                    Load(inst.A!);
                    Load(inst.B!);
                    il.Emit(OpCodes.Call, Method(typeof(IrSemantics), inst.Op.ToString(), typeof(ulong), typeof(ulong)));
                    break;
                case IrOp.Clz:
                    // The intrinsics directly: no inlinee for RyuJIT to import (big regions run out of inlining budget).
                    Load(inst.A!);
                    if (inst.Size == 32) il.Emit(OpCodes.Conv_U4);
                    il.Emit(OpCodes.Call, inst.Size == 32 ? Lzcnt32 : Lzcnt64);
                    il.Emit(OpCodes.Conv_U8);
                    break;
                case IrOp.Cls: CallSemantics1(inst, nameof(IrSemantics.Cls), inst.Size); break;
                case IrOp.Rbit: CallSemantics1(inst, nameof(IrSemantics.Rbit), inst.Size); break;
                case IrOp.Rev:
                    Load(inst.A!);
                    if (inst.Size == 32) il.Emit(OpCodes.Conv_U4);
                    il.Emit(OpCodes.Call, inst.Size == 32 ? ByteSwap32 : ByteSwap64);
                    if (inst.Size == 32) il.Emit(OpCodes.Conv_U8);
                    break;
                case IrOp.Rev16: CallSemantics1(inst, nameof(IrSemantics.Rev16), inst.Size); break;
                case IrOp.Rev32:
                    Load(inst.A!);
                    il.Emit(OpCodes.Call, Method(typeof(IrSemantics), nameof(IrSemantics.Rev32), typeof(ulong)));
                    break;
                case IrOp.FlagsLogic:
                    if (_fusedFlags[inst.Index]) return;
                    CallSemantics1(inst, nameof(IrSemantics.FlagsLogic), inst.Size);
                    break;
                case IrOp.SignExtend or IrOp.ZeroExtend:
                    EmitExtend(inst);
                    break;
                case IrOp.Compare or IrOp.CondHolds when inst.Index == _deferredCondition || inst.Index == _deferredSelectedCondition:
                    return;
                case IrOp.Compare:
                    EmitCompare(inst.A!, inst.B!, (IrCompare)inst.Imm, inst.Size);
                    break;
                case IrOp.Select when inst.Index == _deferredSelect || inst.Index == _deferredBranchSelect:
                    return;
                case IrOp.Select:
                    Load(inst.A!);
                    Load(inst.B!);
                    Load(inst.C!);
                    il.Emit(OpCodes.Call, Method(typeof(IrSemantics), nameof(IrSemantics.Select), typeof(ulong), typeof(ulong), typeof(ulong)));
                    break;
                case IrOp.AddCarry:
                    Load(inst.A!);
                    Load(inst.B!);
                    il.Emit(OpCodes.Add);
                    Load(inst.C!);
                    il.Emit(OpCodes.Add);
                    TruncateResult(inst);
                    break;
                case IrOp.FlagsAddCarry:
                    if (_fusedFlags[inst.Index]) return;
                    EmitFlagsAddCarry(inst);
                    break;
                case IrOp.CondHolds:
                    EmitCondHolds(inst);
                    break;

                case IrOp.Load:
                    HostAddress(inst);
                    il.Emit(OpCodes.Unaligned, (byte)1);
                    // Guest memory is shared with other guest threads: RyuJIT must not hoist a load out of
                    // a region's loop that stores nothing (a spin-wait would never see the other thread's
                    // store; see BlocksOnStoreFreeCycles). Elsewhere the prefix would only stop RyuJIT from
                    // scheduling and combining loads (a single block has no loop at all).
                    if (_region && _loadsStayInLoop[_blockOrder]) il.Emit(OpCodes.Volatile);
                    switch (inst.Imm)
                    {
                        case 1: il.Emit(OpCodes.Ldind_U1); il.Emit(OpCodes.Conv_U8); break;
                        case 2: il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Conv_U8); break;
                        case 4: il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Conv_U8); break;
                        default: il.Emit(OpCodes.Ldind_I8); break;
                    }
                    break;
                case IrOp.Store:
                    HostAddress(inst);
                    Load(inst.B!);
                    if (inst.Imm < 8) il.Emit(OpCodes.Conv_U4); // narrow stores take an int32 operand
                    il.Emit(OpCodes.Unaligned, (byte)1);
                    if (_region) il.Emit(OpCodes.Volatile);
                    il.Emit(inst.Imm switch { 1 => OpCodes.Stind_I1, 2 => OpCodes.Stind_I2, 4 => OpCodes.Stind_I4, _ => OpCodes.Stind_I8 });
                    return;
                case IrOp.LoadVec:
                    HostAddress(inst);
                    il.Emit(OpCodes.Call, Method(typeof(MemoryHelpers), "LoadVec" + inst.Imm, typeof(byte*)));
                    break;
                case IrOp.StoreVec:
                    HostAddress(inst);
                    Load(inst.B!);
                    il.Emit(OpCodes.Call, Method(typeof(MemoryHelpers), "StoreVec" + inst.Imm, typeof(byte*), V128));
                    return;
                case IrOp.LoadExclusive or IrOp.LoadExclusivePair:
                    il.Emit(OpCodes.Ldarg_1);
                    Load(inst.A!);
                    il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                    il.Emit(OpCodes.Call, Method(typeof(ExclusiveMonitor), inst.Op.ToString(), typeof(CpuContext*), typeof(ulong), typeof(ulong)));
                    break;
                case IrOp.StoreExclusive:
                    il.Emit(OpCodes.Ldarg_1);
                    Load(inst.A!);
                    Load(inst.B!);
                    il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                    il.Emit(OpCodes.Call, Method(typeof(ExclusiveMonitor), nameof(ExclusiveMonitor.StoreExclusive), typeof(CpuContext*), typeof(ulong), typeof(ulong), typeof(ulong)));
                    break;
                case IrOp.StoreExclusivePair:
                    il.Emit(OpCodes.Ldarg_1);
                    Load(inst.A!);
                    Load(inst.B!);
                    Load(inst.C!);
                    il.Emit(OpCodes.Ldc_I8, (long)inst.Imm);
                    il.Emit(OpCodes.Call, Method(typeof(ExclusiveMonitor), nameof(ExclusiveMonitor.StoreExclusivePair), typeof(CpuContext*), typeof(ulong), typeof(ulong), typeof(ulong), typeof(ulong)));
                    break;
                case IrOp.LoadExclusiveHigh:
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Call, Method(typeof(ExclusiveMonitor), nameof(ExclusiveMonitor.LoadExclusiveHigh), typeof(CpuContext*)));
                    break;
                case IrOp.ClearExclusive:
                    il.Emit(OpCodes.Ldarg_1);
                    il.Emit(OpCodes.Call, Method(typeof(ExclusiveMonitor), nameof(ExclusiveMonitor.ClearExclusive), typeof(CpuContext*)));
                    return;
                case IrOp.Barrier:
                    il.Emit(OpCodes.Call, Method(typeof(Interlocked), nameof(Interlocked.MemoryBarrier)));
                    return;

                case IrOp.Call:
                    EmitCall(inst);
                    if (!inst.HasResult) return;
                    break;

                case IrOp.Jump or IrOp.JumpIndirect or IrOp.Branch or IrOp.Exit:
                    // Deferred NZCV: a Jump computes it here when the block it enters reads it; a Branch
                    // computes it on each edge that needs it; exits compute their own.
                    if (_region && inst.Op is IrOp.Jump && FlagsLiveInSuccessor())
                    {
                        if (FlagsReadIn(inst.Imm)) MaterializeFlags(settle: true);
                        else
                        {
                            StoreLazyFlags();
                            _pendingFlags = null;
                        }
                    }
                    EmitTerminator(inst);
                    return;
                default:
                    throw new NotSupportedException($"tier 1: op {inst.Op}");
            }
            Define(inst);
        }

        // Overloads told apart by operand type (Method's cache keys on the argument count only). These and the other
        // op-specific MethodInfos are looked up at first use, not in the emitter's static constructor: each lookup
        // scans its class's methods, and together they were ~2 ms of every process's first compile.
        private static MethodInfo? s_lzcnt32;
        private static MethodInfo Lzcnt32 => s_lzcnt32 ??= typeof(System.Numerics.BitOperations).GetMethod(nameof(System.Numerics.BitOperations.LeadingZeroCount), [typeof(uint)])!;
        private static MethodInfo? s_lzcnt64;
        private static MethodInfo Lzcnt64 => s_lzcnt64 ??= typeof(System.Numerics.BitOperations).GetMethod(nameof(System.Numerics.BitOperations.LeadingZeroCount), [typeof(ulong)])!;
        private static MethodInfo? s_rotate32;
        private static MethodInfo Rotate32 => s_rotate32 ??= typeof(System.Numerics.BitOperations).GetMethod(nameof(System.Numerics.BitOperations.RotateRight), [typeof(uint), typeof(int)])!;
        private static MethodInfo? s_rotate64;
        private static MethodInfo Rotate64 => s_rotate64 ??= typeof(System.Numerics.BitOperations).GetMethod(nameof(System.Numerics.BitOperations.RotateRight), [typeof(ulong), typeof(int)])!;
        private static MethodInfo? s_byteSwap32;
        private static MethodInfo ByteSwap32 => s_byteSwap32 ??= typeof(System.Buffers.Binary.BinaryPrimitives).GetMethod(nameof(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness), [typeof(uint)])!;
        private static MethodInfo? s_byteSwap64;
        private static MethodInfo ByteSwap64 => s_byteSwap64 ??= typeof(System.Buffers.Binary.BinaryPrimitives).GetMethod(nameof(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness), [typeof(ulong)])!;

        /// <summary>
        /// Shifts and rotates as IL (a constant amount, the usual case, becomes an immediate): the amount is
        /// taken modulo the operand size as in IrSemantics; 32-bit results are zero-extended.
        /// </summary>
        private void EmitShift(IrInst inst)
        {
            bool narrow = inst.Size == 32;
            Load(inst.A!);
            if (narrow) _il.Emit(inst.Op == IrOp.Asr ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
            int mask = narrow ? 31 : 63;
            if (inst.B!.Op == IrOp.Const) _il.Emit(OpCodes.Ldc_I4, (int)(inst.B.Imm & (ulong)mask));
            else
            {
                Load(inst.B);
                _il.Emit(OpCodes.Conv_I4);
                _il.Emit(OpCodes.Ldc_I4, mask);
                _il.Emit(OpCodes.And);
            }
            switch (inst.Op)
            {
                case IrOp.Shl: _il.Emit(OpCodes.Shl); break;
                case IrOp.Lsr: _il.Emit(OpCodes.Shr_Un); break;
                case IrOp.Asr: _il.Emit(OpCodes.Shr); break;
                default:
                    _il.Emit(OpCodes.Call, narrow ? Rotate32 : Rotate64);
                    break;
            }
            if (narrow) _il.Emit(OpCodes.Conv_U8);
        }

        private void EmitFlagsAddCarry(IrInst inst)
        {
            Load(inst.A!);
            Load(inst.B!);
            Load(inst.C!);
            _il.Emit(OpCodes.Ldc_I4, (int)inst.Size);
            _il.Emit(OpCodes.Call, Method(typeof(IrSemantics), nameof(IrSemantics.FlagsAddCarry), typeof(ulong), typeof(ulong), typeof(ulong), typeof(int)));
        }

        private void EmitExtend(IrInst inst)
        {
            Load(inst.A!);
            bool signed = inst.Op == IrOp.SignExtend;
            switch (inst.Imm)
            {
                case 8: _il.Emit(signed ? OpCodes.Conv_I1 : OpCodes.Conv_U1); break;
                case 16: _il.Emit(signed ? OpCodes.Conv_I2 : OpCodes.Conv_U2); break;
                case 32: _il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4); break;
                default:
                    _il.Emit(OpCodes.Ldc_I4, (int)inst.Imm);
                    _il.Emit(OpCodes.Call, Method(typeof(IrSemantics), inst.Op.ToString(), SizeArgs1));
                    return;
            }
            _il.Emit(signed ? OpCodes.Conv_I8 : OpCodes.Conv_U8);
        }

        /// <summary>Pushes 0/1 for <paramref name="kind"/> applied to the Size-bit values a and b.</summary>
        private void EmitCompare(IrInst a, IrInst b, IrCompare kind, int size)
        {
            bool signed = kind is IrCompare.SLt or IrCompare.SLe or IrCompare.SGt or IrCompare.SGe;
            Load(a);
            if (size == 32) _il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
            Load(b);
            if (size == 32) _il.Emit(signed ? OpCodes.Conv_I4 : OpCodes.Conv_U4);
            EmitCompareOp(kind);
        }

        private void EmitCompareOp(IrCompare kind)
        {
            // a <= b is !(a > b) and so on: one compare, then a negation.
            var op = kind switch
            {
                IrCompare.Eq or IrCompare.Ne => OpCodes.Ceq,
                IrCompare.ULt or IrCompare.UGe => OpCodes.Clt_Un,
                IrCompare.ULe or IrCompare.UGt => OpCodes.Cgt_Un,
                IrCompare.SLt or IrCompare.SGe => OpCodes.Clt,
                IrCompare.SLe or IrCompare.SGt => OpCodes.Cgt,
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            bool negate = kind is IrCompare.Ne or IrCompare.ULe or IrCompare.UGe or IrCompare.SLe or IrCompare.SGe;
            _il.Emit(op);
            if (negate)
            {
                _il.Emit(OpCodes.Ldc_I4_0);
                _il.Emit(OpCodes.Ceq);
            }
            _il.Emit(OpCodes.Conv_U8);
        }

        private void EmitCondHolds(IrInst inst)
        {
            var flags = inst.A!;
            int cond = (int)inst.Imm;
            if (cond is 14 or 15)
            {
                _il.Emit(OpCodes.Ldc_I8, 1L);
                return;
            }
            if (!IsDirectCondition(inst))
            {
                CallSemantics1(inst, nameof(IrSemantics.CondHolds), cond);
                return;
            }
            if (flags.Op == IrOp.FlagsSub)
            {
                // The flags of a - b: each condition is a plain comparison of a with b.
                var kind = cond switch
                {
                    0 => IrCompare.Eq,
                    1 => IrCompare.Ne,
                    2 => IrCompare.UGe, // CS
                    3 => IrCompare.ULt, // CC
                    8 => IrCompare.UGt, // HI
                    9 => IrCompare.ULe, // LS
                    10 => IrCompare.SGe,
                    11 => IrCompare.SLt,
                    12 => IrCompare.SGt,
                    _ => IrCompare.SLe,
                };
                EmitCompare(flags.A!, flags.B!, kind, flags.Size);
                return;
            }
            // FlagsLogic: N and Z from the value, C = V = 0; compare the value with zero.
            Load(flags.A!);
            bool narrow = flags.Size == 32;
            if (cond is 0 or 1)
            {
                if (narrow)
                {
                    _il.Emit(OpCodes.Conv_U4);
                    _il.Emit(OpCodes.Ldc_I4_0);
                }
                else _il.Emit(OpCodes.Ldc_I8, 0L);
                EmitCompareOp(cond == 0 ? IrCompare.Eq : IrCompare.Ne);
                return;
            }
            if (narrow) _il.Emit(OpCodes.Conv_I4);
            if (narrow) _il.Emit(OpCodes.Ldc_I4_0);
            else _il.Emit(OpCodes.Ldc_I8, 0L);
            EmitCompareOp(cond switch
            {
                4 => IrCompare.SLt, // MI
                5 => IrCompare.SGe, // PL
                10 => IrCompare.SGe, // GE: N == 0
                11 => IrCompare.SLt,
                12 => IrCompare.SGt, // GT: !Z and N == 0
                _ => IrCompare.SLe,
            });
        }

        private static MethodInfo? s_shuffleByConstantMethod;
        private static MethodInfo ShuffleByConstantMethod => s_shuffleByConstantMethod ??= typeof(Frontend.Translation.SimdHelpers).GetMethod(nameof(Frontend.Translation.SimdHelpers.ShuffleByConstant))!;
        private static MethodInfo? s_orrMethod;
        private static MethodInfo OrrMethod => s_orrMethod ??= typeof(Frontend.Translation.SimdHelpers).GetMethod(nameof(Frontend.Translation.SimdHelpers.Orr))!;

        /// <summary>
        /// LDn/STn's Deinterleave/Interleave with a constant shape: the byte shuffles are computed now and emitted
        /// as constants, one pshufb per source that contributes (the helper looked its masks up at run time and was
        /// a call, which took its four vectors on the stack and clobbered every host vector register).
        /// </summary>
        private bool TryEmitStructureShuffle(IrInst inst)
        {
            var a = inst.Args!;
            bool load = PassSupport.IsSimdHelper(inst, nameof(Frontend.Translation.SimdHelpers.Deinterleave));
            if (!load && !PassSupport.IsSimdHelper(inst, nameof(Frontend.Translation.SimdHelpers.Interleave)) || !a[4].IsConst || !a[5].IsConst || !a[6].IsConst || !a[7].IsConst) return false;
            var masks = Frontend.Translation.SimdHelpers.StructureShuffles((int)a[4].Imm, (int)a[5].Imm, a[6].Imm != 0, (int)a[7].Imm, load: load);
            bool first = true;
            for (int k = 0; k < 4; k++)
            {
                var mask = masks[k].AsUInt64();
                if (mask == Vector128.Create(0x8080808080808080UL)) continue; // no byte from this source
                Load(a[k]);
                _il.Emit(OpCodes.Ldc_I8, (long)mask.GetElement(0));
                _il.Emit(OpCodes.Ldc_I8, (long)mask.GetElement(1));
                _il.Emit(OpCodes.Call, ShuffleByConstantMethod);
                if (!first) _il.Emit(OpCodes.Call, OrrMethod);
                first = false;
            }
            if (first) _il.Emit(OpCodes.Call, typeof(Vector128<byte>).GetProperty(nameof(Vector128<byte>.Zero))!.GetMethod!);
            return true;
        }

        private static MethodInfo? s_fromLow32Method;

        private static MethodInfo FromLow32Method => s_fromLow32Method ??= typeof(Frontend.Translation.SimdFpInlineHelpers).GetMethod(nameof(Frontend.Translation.SimdFpInlineHelpers.FromLow32))!;

        // FP-status helpers with a NameGuarded(ctx, ulong fast, same arguments) form that takes the fast-path test.
        private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodInfo, MethodInfo?> GuardedForms = new();

        // The helpers are ours: Emu.dll is not trimmed (the publish trims framework assemblies only).
        [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = "FP-status helpers live in Emu.dll, which publish keeps whole")]
        private static MethodInfo? GuardedForm(MethodInfo method) => GuardedForms.GetOrAdd(method, m =>
        {
            var g = m.DeclaringType!.GetMethod(m.Name + "Guarded", BindingFlags.Public | BindingFlags.Static);
            return g != null && g.ReturnType == m.ReturnType && g.GetParameters().Length == m.GetParameters().Length + 1 ? g : null;
        });

        /// <summary>
        /// Pushes the block's FP fast-path test (1 or 0), evaluating it at its first use in the block from the
        /// context, where the caller has just written FPCR and FPSR back.
        /// </summary>
        private void EmitFpFast()
        {
            _fpFast ??= _il.DeclareLocal(typeof(ulong));
            if (!_fpFastValid)
            {
                var known = _il.DefineLabel();
                _il.Emit(OpCodes.Ldloc, _fpFast);
                _il.Emit(OpCodes.Brtrue, known);
                LoadContextField(CpuContext.OffsetOfSys(SysReg.Fpcr), typeof(ulong));
                _il.Emit(OpCodes.Ldc_I8, (long)FloatingPoint.FpStatus.SlowPathBits);
                _il.Emit(OpCodes.And);
                LoadContextField(CpuContext.OffsetOfSys(SysReg.Fpsr), typeof(ulong));
                _il.Emit(OpCodes.Not);
                _il.Emit(OpCodes.Ldc_I8, (long)FloatingPoint.FpStatus.Ixc);
                _il.Emit(OpCodes.And);
                _il.Emit(OpCodes.Or);
                _il.Emit(OpCodes.Ldc_I8, 0L);
                _il.Emit(OpCodes.Ceq);
                _il.Emit(OpCodes.Conv_U8);
                _il.Emit(OpCodes.Stloc, _fpFast);
                _il.MarkLabel(known);
                _fpFastValid = true;
            }
            _il.Emit(OpCodes.Ldloc, _fpFast);
        }

        /// <summary>FPCR or FPSR may have changed: the next use re-evaluates the fast-path test.</summary>
        private void InvalidateFpFast()
        {
            _fpFastValid = false;
            // Declared up front so that a loop back to an earlier use also sees the reset.
            _fpFast ??= _il.DeclareLocal(typeof(ulong));
            _il.Emit(OpCodes.Ldc_I8, 0L);
            _il.Emit(OpCodes.Stloc, _fpFast);
        }

        private void EmitCall(IrInst inst)
        {
            var h = inst.Helper!;
            if (TryEmitTypedFpMove(inst)) return;
            if (_scalarOf[inst.Index] is { } scalar)
            {
                Load(scalar);
                return;
            }
            if (TryEmitStructureShuffle(inst)) return;
            if (_wordLaneOf[inst.Index] is { } word)
            {
                Load(word);
                _il.Emit(OpCodes.Call, FromLow32Method);
                return;
            }
            if (h.UsesOnlyFpStatus)
            {
                // Only FPCR and FPSR are shared with the helper: write those back, keep the rest in locals.
                FlushSlot(FpcrSlot);
                FlushSlot(FpsrSlot);
                if (TryEmitFpOutOfLine(inst))
                {
                    _loaded[FpsrSlot] = false;
                    return;
                }
                var guarded = GuardedForm(h.Method);
                _il.Emit(OpCodes.Ldarg_1);
                if (guarded != null) EmitFpFast();
                foreach (var a in inst.Args!) Load(a);
                _il.Emit(OpCodes.Call, guarded ?? h.Method);
                _loaded[FpsrSlot] = false;
                return;
            }
            if (h.TakesContext)
            {
                // The helper may read or write any guest register.
                Flush();
                _il.Emit(OpCodes.Ldarg_1);
            }
            foreach (var a in inst.Args!) Load(a);
            _il.Emit(OpCodes.Call, h.Method);
            if (h.TakesContext)
            {
                Invalidate();
                InvalidateFpFast();
            }
        }
    }
}
