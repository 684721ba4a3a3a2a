using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Emu.Cpu;
using Emu.IR;
using Emu.IR.Passes;

namespace Emu.Jit;

/// <summary>
/// The cold tier: runs a block's IR directly, without paying for a DynamicMethod compile.
/// Prepare flattens the IR into an array of small structs whose operands are slot numbers; Execute
/// keeps the values in stack-allocated slots, so it allocates nothing and is safe on many threads.
/// <see cref="TranslatedBlock"/> derives from it, so a cached block and its cold-tier form are one object.
/// </summary>
public unsafe class InterpretedBlock
{
    // 32 bytes: slot numbers fit 16 bits (a block's values number at most a few thousand; Prepare checks).
    private protected struct Op
    {
        public IrOp Code;
        public byte Size;
        /// <summary>Result slot (scalar or vector slot, by the op's result type).</summary>
        public ushort Dst;
        /// <summary>Operand slots. Call: A = start of its argument list in the pool, B = thunk index.</summary>
        public ushort A, B, C;
        /// <summary>…R forms: the context offset of the guest register the result is also written to.</summary>
        public ushort Reg;
        /// <summary>
        /// FlagsSubIBranch: the taken PC minus the not-taken PC (B.cond reaches ±1 MB). …X accesses: the context
        /// offset of the guest register holding the base address. Fills the padding before Imm.
        /// </summary>
        public int Rel;
        /// <summary>Immediate; for guest state, the byte offset of the field in the context; fused forms: the constant operand.</summary>
        public ulong Imm;
        /// <summary>Branch: the not-taken PC. Exit: reason | info &lt;&lt; 32. Fused memory forms: the address offset. CompareI: the kind.</summary>
        public ulong Imm2;
    }

    // Codes outside IrOp's range: size-specialized forms of the commonest 64-bit ops, and fused forms whose
    // constant operand is the immediate (…I), whose address is a slot plus an offset (…Off), or whose
    // operand is read straight from a guest register (AddRegI64), so each is one dispatch instead of two or three.
    // Numbered right after IrOp's last op, so the interpreter's switch stays one dense jump table.
    private const IrOp Add64 = IrOp.Exit + 1,
        Sub64 = IrOp.Exit + 2,
        And64 = IrOp.Exit + 3,
        Or64 = IrOp.Exit + 4,
        Xor64 = IrOp.Exit + 5,
        Shl64 = IrOp.Exit + 6,
        Lsr64 = IrOp.Exit + 7,
        AddI64 = IrOp.Exit + 8,
        AndI64 = IrOp.Exit + 9,
        ShlI64 = IrOp.Exit + 10,
        LsrI64 = IrOp.Exit + 11,
        AsrI64 = IrOp.Exit + 12,
        AddI = IrOp.Exit + 13,
        SubI = IrOp.Exit + 14,
        AndI = IrOp.Exit + 15,
        OrI = IrOp.Exit + 16,
        XorI = IrOp.Exit + 17,
        ShlI = IrOp.Exit + 18,
        LsrI = IrOp.Exit + 19,
        AsrI = IrOp.Exit + 20,
        CompareI = IrOp.Exit + 21,
        FlagsSubI = IrOp.Exit + 22,
        FlagsAddI = IrOp.Exit + 23,
        AddRegI64 = IrOp.Exit + 24,
        LoadOff = IrOp.Exit + 25,
        StoreOff = IrOp.Exit + 26,
        LoadVecOff = IrOp.Exit + 27,
        StoreVecOff = IrOp.Exit + 28,
        Load8Off = IrOp.Exit + 29,
        Store8Off = IrOp.Exit + 30,
        SetRegI = IrOp.Exit + 31,
        MoveReg = IrOp.Exit + 32,
        LoadR = IrOp.Exit + 33,
        LoadOffR = IrOp.Exit + 34,
        Load8OffR = IrOp.Exit + 35,
        Add64R = IrOp.Exit + 36,
        AddI64R = IrOp.Exit + 37,
        AddRegI64R = IrOp.Exit + 38,
        BranchCond = IrOp.Exit + 39,
        SetFlagsBranchCond = IrOp.Exit + 40,
        BranchZero = IrOp.Exit + 41,
        BranchNonZero = IrOp.Exit + 42,
        GetReg2 = IrOp.Exit + 43,
        SetReg2 = IrOp.Exit + 44,
        Load4Off = IrOp.Exit + 45,
        Load2Off = IrOp.Exit + 46,
        Load1Off = IrOp.Exit + 47,
        Store4Off = IrOp.Exit + 48,
        Store2Off = IrOp.Exit + 49,
        Store1Off = IrOp.Exit + 50,
        FlagsSubIBranch = IrOp.Exit + 51,
        FlagsSubBranch = IrOp.Exit + 52,
        Load8Off2 = IrOp.Exit + 53,
        Store8Off2 = IrOp.Exit + 54,
        Load8OffX = IrOp.Exit + 55,
        Load8OffXR = IrOp.Exit + 56,
        Store8OffX = IrOp.Exit + 57,
        Load8OffX2 = IrOp.Exit + 58,
        Store8OffX2 = IrOp.Exit + 59;

    private const ushort NoSlot = ushort.MaxValue;

    // Prepare's per-value tables (uses, address uses, form, slot), per thread: it runs for every translated block.
    [ThreadStatic] private static int[]? t_scratch;
    // Ops are emitted here first: pair fusions make the final count known only at the end.
    [ThreadStatic] private static Op[]? t_opScratch;

    private readonly Op[] _ops;
    private readonly int[] _pool;
    private readonly HelperThunk[] _thunks;
    // Constants occupy the first scalar slots; they are copied in at once instead of run as ops. They are kept
    // two per entry (Imm, Imm2) at the start of _ops, one object less to reach per run.
    private readonly int _constantCount;
    private readonly int _scalarSlots, _vectorSlots;
    private readonly bool _fitsAreas;

    /// <summary>
    /// True if the block may fault after it wrote an X register or NZCV (or calls a helper that takes the
    /// context): only then does the dispatcher snapshot those for a fault's replay. Otherwise a fault finds
    /// the context as it was at the block's start.
    /// </summary>
    public bool WritesBeforeFault { get; private init; }

    private InterpretedBlock(Op[] ops, int[] pool, HelperThunk[] thunks, int constantCount, int scalarSlots, int vectorSlots)
    {
        _ops = ops;
        _pool = pool;
        _thunks = thunks;
        _constantCount = constantCount;
        _scalarSlots = scalarSlots;
        _vectorSlots = vectorSlots;
        _fitsAreas = scalarSlots + 1 <= AreaScalarSlots && vectorSlots <= AreaVectorSlots;
    }

    /// <summary>What <see cref="Prepare"/> makes of a block, before it is put in an object.</summary>
    private protected readonly record struct Form(Op[] Ops, int[] Pool, HelperThunk[] Thunks, int ConstantCount, int ScalarSlots, int VectorSlots, bool WritesBeforeFault);

    private protected InterpretedBlock(in Form form) : this(form.Ops, form.Pool, form.Thunks, form.ConstantCount, form.ScalarSlots, form.VectorSlots) =>
        WritesBeforeFault = form.WritesBeforeFault;

    /// <summary>The form of <paramref name="prepared"/>, or if null, of <paramref name="block"/> prepared now.</summary>
    private protected static Form FormOf(IrBlock block, InterpretedBlock? prepared) => prepared == null ? Build(block)
        : new(prepared._ops, prepared._pool, prepared._thunks, prepared._constantCount, prepared._scalarSlots, prepared._vectorSlots, prepared.WritesBeforeFault);

    /// <summary>Ops dispatched per run (constants excluded), for tests of the fusions.</summary>
    internal int OpCount => _ops.Length - (_constantCount + 1) / 2;

    /// <summary>Constants copied in per run.</summary>
    internal int ConstantCount => _constantCount;

    private static IrOp Specialize(IrOp op, int size) => size != 64 ? op : op switch
    {
        IrOp.Add => Add64,
        IrOp.Sub => Sub64,
        IrOp.And => And64,
        IrOp.Or => Or64,
        IrOp.Xor => Xor64,
        IrOp.Shl => Shl64,
        IrOp.Lsr => Lsr64,
        _ => op,
    };

    /// <summary>The form of a binary op whose B is a constant, or Nop if it has none.</summary>
    private static IrOp ImmediateForm(IrOp op, int size) => op switch
    {
        IrOp.Add => size == 64 ? AddI64 : AddI,
        IrOp.Sub => SubI,
        IrOp.And => size == 64 ? AndI64 : AndI,
        IrOp.Or => OrI,
        IrOp.Xor => XorI,
        IrOp.Shl => size == 64 ? ShlI64 : ShlI,
        IrOp.Lsr => size == 64 ? LsrI64 : LsrI,
        IrOp.Asr => size == 64 ? AsrI64 : AsrI,
        IrOp.Compare => CompareI,
        IrOp.FlagsSub => FlagsSubI,
        IrOp.FlagsAdd => FlagsAddI,
        _ => IrOp.Nop,
    };

    private static bool IsMemoryAccess(IrOp op) => op is IrOp.Load or IrOp.Store or IrOp.LoadVec or IrOp.StoreVec;

    /// <summary>An Add.64 of a non-constant and a constant: foldable into the address of the accesses using it.</summary>
    private static bool IsOffsetAdd(IrInst i) => i.Op == IrOp.Add && i.Size == 64 && i.B!.IsConst && !i.A!.IsConst;

    private static ushort Slot16(int slot) => slot < 0 ? NoSlot : slot < NoSlot ? (ushort)slot
        : throw new NotSupportedException("cold tier: block has too many values");

    /// <summary>Ops that can also write their result to a guest register (the SetReg right after them).</summary>
    private static bool MergesSetReg(IrInst i) => i.Op == IrOp.Load || (i.Op == IrOp.Add && i.Size == 64);

    private static IrOp SizedLoad(ulong bytes) => bytes switch { 8 => Load8Off, 4 => Load4Off, 2 => Load2Off, 1 => Load1Off, _ => LoadOff };

    private static IrOp SizedStore(ulong bytes) => bytes switch { 8 => Store8Off, 4 => Store4Off, 2 => Store2Off, 1 => Store1Off, _ => StoreOff };

    /// <summary>The …R form of a (possibly already fused) code that <see cref="MergesSetReg"/> accepted.</summary>
    private static IrOp WithRegister(IrOp code) => code switch
    {
        IrOp.Load => LoadR,
        LoadOff or Load4Off or Load2Off or Load1Off => LoadOffR,
        Load8Off => Load8OffR,
        Load8OffX => Load8OffXR,
        Add64 => Add64R,
        AddI64 => AddI64R,
        AddRegI64 => AddRegI64R,
        _ => throw new InvalidOperationException($"cold tier: no register form of {code}"),
    };

    /// <summary>True if nothing in insts (from, to) may write guest register <paramref name="r"/>.</summary>
    private static bool RegisterUnchanged(ReadOnlySpan<IrInst> insts, int from, int to, ulong r)
    {
        for (int k = from + 1; k < to; k++)
        {
            var i = insts[k];
            if (i.Op == IrOp.SetReg && i.Imm == r) return false;
            if (i.Op == IrOp.Call && i.Helper!.TakesContext) return false;
        }
        return true;
    }

    /// <summary>
    /// Fuses <paramref name="op"/> into <paramref name="previous"/>, the op emitted right before it, if the pair
    /// has a fused form: a branch on a condition or zero test used only by it, or two register reads or writes.
    /// Both read or write only the context and slots, so running them as one op in the same order is the same.
    /// </summary>
    private static bool FuseWithPrevious(ref Op previous, Op op, IrInst inst, Span<int> uses)
    {
        switch (op.Code)
        {
            case IrOp.Branch when previous.Dst == op.A && inst.A!.Op is IrOp.CondHolds or IrOp.Compare && uses[inst.A.Index] == 1:
                if (previous.Code == IrOp.CondHolds)
                {
                    previous = op with { Code = BranchCond, A = previous.A, B = ConditionMask((int)previous.Imm), Dst = NoSlot };
                    return true;
                }
                // Compare with a zero immediate, equal or not: CBZ, CBNZ, TBZ and TBNZ.
                if (previous.Code == CompareI && previous.Imm == 0 && (IrCompare)previous.Imm2 is IrCompare.Eq or IrCompare.Ne)
                {
                    var code = (IrCompare)previous.Imm2 == IrCompare.Eq ? BranchZero : BranchNonZero;
                    previous = op with { Code = code, A = previous.A, Size = previous.Size, Dst = NoSlot };
                    return true;
                }
                return false;
            // LDP and STP of X registers (and other accesses at two offsets from one base): one op. Both run in the
            // same order as before; a fault in the second is replayed from the block's start like any other.
            case Load8Off when previous.Code == Load8Off && previous.A == op.A:
                previous.Code = Load8Off2;
                previous.B = op.Dst;
                previous.Imm = op.Imm2;
                return true;
            case Store8Off when previous.Code == Store8Off && previous.A == op.A:
                previous.Code = Store8Off2;
                previous.C = op.B;
                previous.Imm = op.Imm2;
                return true;
            case Load8OffX when previous.Code == Load8OffX && previous.Rel == op.Rel:
                previous.Code = Load8OffX2;
                previous.B = op.Dst;
                previous.Imm = op.Imm2;
                return true;
            case Store8OffX when previous.Code == Store8OffX && previous.Rel == op.Rel:
                previous.Code = Store8OffX2;
                previous.C = op.B;
                previous.Imm = op.Imm2;
                return true;
            case IrOp.GetReg when previous.Code == IrOp.GetReg:
                previous.Code = GetReg2;
                previous.B = op.Dst;
                previous.Imm2 = op.Imm;
                return true;
            case IrOp.SetReg when previous.Code == IrOp.SetReg:
                previous.Code = SetReg2;
                previous.B = op.A;
                previous.Imm2 = op.Imm;
                return true;
            default:
                return false;
        }
    }

    /// <summary>The GetReg an access's address is (or, <paramref name="folded"/>, is plus a constant), or null.</summary>
    private static IrInst? BaseRegisterRead(IrInst access, bool folded)
    {
        var address = folded ? access.A!.A! : access.A!;
        return address.Op == IrOp.GetReg ? address : null;
    }

    /// <summary>Bit k set if condition <paramref name="cond"/> holds for NZCV = k: the branch tests a bit, not a switch on the condition.</summary>
    private static ushort ConditionMask(int cond)
    {
        ushort mask = 0;
        for (int nzcv = 0; nzcv < 16; nzcv++)
            if (IrSemantics.CondHolds((ulong)nzcv << 28, cond) != 0) mask |= (ushort)(1 << nzcv);
        return mask;
    }

    /// <summary>Whether a condition given as its <see cref="ConditionMask"/> holds for <paramref name="nzcv"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MaskHolds(int mask, ulong nzcv) => ((mask >> (int)((nzcv >> 28) & 15)) & 1) != 0;

    /// <summary>
    /// Fuses a fused branch into the op before it: a SetFlags of the flags it tests, then the FlagsSub computing
    /// them (CMP; B.cond as one op). The flags are still written to their slot, so other uses keep working.
    /// </summary>
    private static bool FuseIntoBranch(ref Op previous, Op branch)
    {
        if (branch.Code == BranchCond && previous.Code == IrOp.SetFlags && previous.A == branch.A)
        {
            previous = branch with { Code = SetFlagsBranchCond };
            return true;
        }
        if (branch.Code != SetFlagsBranchCond || previous.Dst != branch.A) return false;
        if (previous.Code == IrOp.FlagsSub)
        {
            // The taken PC goes in Imm, which the register-register form does not use.
            previous = branch with { Code = FlagsSubBranch, Dst = previous.Dst, A = previous.A, C = previous.B, Size = previous.Size };
            return true;
        }
        long rel = (long)(branch.Imm - branch.Imm2);
        if (previous.Code == FlagsSubI && rel == (int)rel)
        {
            previous = branch with { Code = FlagsSubIBranch, Dst = previous.Dst, A = previous.A, Imm = previous.Imm, Size = previous.Size, Rel = (int)rel };
            return true;
        }
        return false;
    }

    /// <summary>See <see cref="WritesBeforeFault"/>; guest memory accesses and helper calls may fault.</summary>
    private static bool ComputeWritesBeforeFault(ReadOnlySpan<IrInst> insts)
    {
        bool wrote = false;
        foreach (var i in insts)
        {
            switch (i.Op)
            {
                case IrOp.SetReg or IrOp.SetFlags:
                    wrote = true;
                    break;
                case IrOp.Call:
                    if (wrote || (i.Helper!.TakesContext && !i.Helper.UsesOnlyFpStatus)) return true;
                    break;
                case IrOp.Load or IrOp.Store or IrOp.LoadVec or IrOp.StoreVec or IrOp.LoadExclusive or IrOp.StoreExclusive
                    or IrOp.LoadExclusivePair or IrOp.StoreExclusivePair:
                    if (wrote) return true;
                    break;
            }
        }
        return false;
    }

    /// <summary>Prepares <paramref name="block"/> (already optimized) for interpretation.</summary>
    public static InterpretedBlock Prepare(IrBlock block) => new(Build(block));

    private static Form Build(IrBlock block)
    {
        // Arrays sized by a first count, not Lists: this runs for every translated block, and a List over
        // Op (a value type of ours) is not precompiled, so it would cost JIT time at every start-up.
        // A span: List's indexer is a call in precompiled code.
        var insts = CollectionsMarshal.AsSpan(block.Insts);
        int n = block.Renumber();
        // Per value: its uses, and how many of them are as the address of a load or store.
        var scratch = t_scratch ??= new int[256 * 4];
        if (scratch.Length < n * 4) t_scratch = scratch = new int[n * 8];
        var uses = scratch.AsSpan(0, n);
        var addressUses = scratch.AsSpan(n, n);
        var form = scratch.AsSpan(2 * n, n);
        var slot = scratch.AsSpan(3 * n, n);
        uses.Clear();
        addressUses.Clear();
        form.Clear();
        foreach (var inst in insts)
        {
            if (inst.Args != null)
            {
                foreach (var arg in inst.Args) uses[arg.Index]++;
                continue;
            }
            if (inst.A != null)
            {
                uses[inst.A.Index]++;
                if (IsMemoryAccess(inst.Op)) addressUses[inst.A.Index]++;
            }
            if (inst.B != null) uses[inst.B.Index]++;
            if (inst.C != null) uses[inst.C.Index]++;
        }
        // Fusion decisions, in program order (a value's consumers follow it). Folded: an Add.64 of a constant
        // used only as addresses, which the accesses compute themselves. Immediate: B is a constant.
        // FromRegister: the AddI64's operand is a GetReg used only there, read from the context at the add.
        // SetReg forms: of a constant (SetRegI), of a register read only there (MoveReg), or merged into the op
        // right before it that produced the value (Merged: that op writes the register too, as an …R form).
        // BaseFromRegister: an 8-byte load or store whose base address is a GetReg of a register unchanged since,
        // read from the context at the access (the GetReg is dropped once no other use is left).
        const int Folded = 1, Immediate = 2, FromRegister = 3, SetOfConstant = 4, RegisterMove = 5, Merged = 6, BaseFromRegister = 7;
        for (int i = 0; i < n; i++)
        {
            var inst = insts[i];
            if (inst.Op == IrOp.SetReg)
            {
                var value = inst.A!;
                if (form[i] == Merged) continue;
                if (value.IsConst)
                {
                    form[i] = SetOfConstant;
                    uses[value.Index]--;
                }
                else if (value.Op == IrOp.GetReg && uses[value.Index] == 1 && RegisterUnchanged(insts, value.Index, i, value.Imm))
                {
                    form[i] = RegisterMove;
                    uses[value.Index]--;
                }
                continue;
            }
            if (inst.Op is IrOp.Load or IrOp.Store && inst.Imm == 8 && BaseRegisterRead(inst, form[inst.A!.Index] == Folded) is { } baseRead
                && RegisterUnchanged(insts, baseRead.Index, i, baseRead.Imm))
            {
                form[i] = BaseFromRegister;
                uses[baseRead.Index]--;
            }
            if (IsOffsetAdd(inst) && uses[i] > 0 && uses[i] == addressUses[i])
            {
                form[i] = Folded;
                uses[inst.A!.Index] += uses[i] - 1;
                uses[inst.B!.Index]--;
                continue;
            }
            if (inst.B is { IsConst: true } && inst.A is { IsConst: false } && ImmediateForm(inst.Op, inst.Size) != IrOp.Nop)
            {
                form[i] = Immediate;
                uses[inst.B.Index]--;
                var a = inst.A;
                if (inst.Op == IrOp.Add && inst.Size == 64 && a.Op == IrOp.GetReg && uses[a.Index] == 1
                    && RegisterUnchanged(insts, a.Index, i, a.Imm))
                {
                    form[i] = FromRegister;
                    uses[a.Index]--;
                }
            }
            // After the fold above: an add folded into addresses is not emitted, so it cannot write a register.
            if (i + 1 < n && insts[i + 1] is { Op: IrOp.SetReg } next && next.A == inst && MergesSetReg(inst))
            {
                form[i + 1] = Merged;
                uses[i]--;
            }
        }

        int constantCount = 0, poolCount = 0, callCount = 0, skipped = 0;
        foreach (var inst in insts)
        {
            if (inst.Op == IrOp.Const)
            {
                if (uses[inst.Index] > 0) constantCount++;
                else skipped++;
            }
            else if (inst.Op == IrOp.Nop || form[inst.Index] is Folded or Merged || (inst.Op == IrOp.GetReg && uses[inst.Index] == 0)) skipped++;
            else if (inst.Op == IrOp.Call)
            {
                callCount++;
                poolCount += 1 + inst.Args!.Length;
            }
        }
        int carriers = (constantCount + 1) / 2;
        int maxOps = carriers + n - constantCount - skipped;
        var ops = t_opScratch ??= new Op[256];
        if (ops.Length < maxOps) t_opScratch = ops = new Op[maxOps * 2];
        constantCount = 0;
        foreach (var inst in insts)
        {
            if (inst.Op != IrOp.Const || uses[inst.Index] == 0) continue;
            slot[inst.Index] = constantCount;
            ref var carrier = ref ops[constantCount >> 1];
            // The scratch holds the last block's ops: a carrier starts clean.
            if ((constantCount & 1) == 0) carrier = new Op { Imm = inst.Imm };
            else carrier.Imm2 = inst.Imm;
            constantCount++;
        }
        int scalars = constantCount, vectors = 0;
        int opCount = carriers;
        var pool = poolCount == 0 ? [] : new int[poolCount];
        poolCount = 0;
        var thunks = callCount == 0 ? [] : new HelperThunk[callCount];
        callCount = 0;
        for (int i = 0; i < n; i++)
        {
            var inst = insts[i];
            if (inst.Op == IrOp.GetReg && uses[i] == 0)
            {
                // Read by its users from the context: nothing may take a slot number from it.
                slot[i] = -1;
                continue;
            }
            if (inst.Op is IrOp.Nop or IrOp.Const || form[i] is Folded or Merged) continue;
            var type = inst.Type;
            int dst = type == IrType.V128 ? vectors++ : type == IrType.I64 ? scalars++ : -1;
            slot[i] = dst;
            var op = new Op
            {
                Code = Specialize(inst.Op, inst.Size),
                Size = inst.Size,
                Dst = Slot16(dst),
                A = inst.A != null ? Slot16(slot[inst.A.Index]) : NoSlot,
                B = inst.B != null ? Slot16(slot[inst.B.Index]) : NoSlot,
                C = inst.C != null ? Slot16(slot[inst.C.Index]) : NoSlot,
                Imm = inst.Imm,
                Imm2 = inst.Imm2,
            };
            if (form[i] is Immediate or FromRegister)
            {
                op.Code = ImmediateForm(inst.Op, inst.Size);
                op.Imm = inst.B!.Imm;
                op.B = NoSlot;
                if (inst.Op == IrOp.Compare) op.Imm2 = inst.Imm;
                if (form[i] == FromRegister)
                {
                    op.Code = AddRegI64;
                    op.Imm2 = (ulong)CpuContext.OffsetOfX((int)inst.A!.Imm);
                    op.A = NoSlot;
                }
            }
            else if (IsMemoryAccess(inst.Op) && form[inst.A!.Index] == Folded)
            {
                var address = inst.A;
                op.A = Slot16(slot[address.A!.Index]);
                op.Imm2 = address.B!.Imm;
                op.Code = inst.Op switch
                {
                    IrOp.Load => SizedLoad(inst.Imm),
                    IrOp.Store => SizedStore(inst.Imm),
                    IrOp.LoadVec => LoadVecOff,
                    _ => StoreVecOff,
                };
            }
            else if (inst.Op is IrOp.Load or IrOp.Store && form[i] != BaseFromRegister)
            {
                // An offset of 0: the sized forms read or write without switching on the access size.
                op.Imm2 = 0;
                op.Code = inst.Op == IrOp.Load ? SizedLoad(inst.Imm) : SizedStore(inst.Imm);
            }
            switch (inst.Op)
            {
                case IrOp.GetReg:
                    op.Imm = (ulong)CpuContext.OffsetOfX((int)inst.Imm);
                    break;
                case IrOp.SetReg:
                    op.Imm = (ulong)CpuContext.OffsetOfX((int)inst.Imm);
                    if (form[i] == SetOfConstant)
                    {
                        op.Code = SetRegI;
                        op.Imm2 = inst.A!.Imm;
                        op.A = NoSlot;
                    }
                    else if (form[i] == RegisterMove)
                    {
                        op.Code = MoveReg;
                        op.Imm2 = (ulong)CpuContext.OffsetOfX((int)inst.A!.Imm);
                        op.A = NoSlot;
                    }
                    break;
                case IrOp.GetSys or IrOp.SetSys:
                    op.Imm = (ulong)CpuContext.OffsetOfSys((SysReg)inst.Imm);
                    break;
                case IrOp.GetVec or IrOp.SetVec:
                    op.Imm = (ulong)CpuContext.OffsetOfV((int)inst.Imm);
                    break;
                case IrOp.Exit:
                    op.Imm2 = (uint)inst.Imm2 | inst.Imm3 << 32;
                    break;
                case IrOp.Call:
                    {
                        var h = inst.Helper!;
                        op.A = Slot16(poolCount);
                        // Byte offsets into the slot areas, as the thunk reads them.
                        pool[poolCount++] = dst < 0 ? 0 : dst * (type == IrType.V128 ? 16 : 8);
                        foreach (var arg in inst.Args!)
                            pool[poolCount++] = slot[arg.Index] * (arg.Type == IrType.V128 ? 16 : 8);
                        op.B = Slot16(callCount);
                        thunks[callCount++] = HelperThunks.Get(h);
                        break;
                    }
            }
            if (form[i] == BaseFromRegister)
            {
                // Load8Off or Store8Off (sized above), or the plain access at offset 0.
                var address = inst.A!;
                var baseRead = BaseRegisterRead(inst, form[address.Index] == Folded)!;
                op.Code = inst.Op == IrOp.Load ? Load8OffX : Store8OffX;
                op.Imm2 = form[address.Index] == Folded ? address.B!.Imm : 0;
                op.A = NoSlot;
                op.Rel = CpuContext.OffsetOfX((int)baseRead.Imm);
            }
            if (i + 1 < n && form[i + 1] == Merged)
            {
                op.Code = WithRegister(op.Code);
                op.Reg = (ushort)CpuContext.OffsetOfX((int)insts[i + 1].Imm);
            }
            if (opCount > carriers && FuseWithPrevious(ref ops[opCount - 1], op, inst, uses))
            {
                // The previous op may now fuse with the one before it (SetFlags, then the branch on those flags).
                while (opCount - 1 > carriers && FuseIntoBranch(ref ops[opCount - 2], ops[opCount - 1])) opCount--;
                continue;
            }
            ops[opCount++] = op;
        }
        // A plain loop: Array.Copy over Op would be a generic instantiation JIT'd at start-up (see above).
        var exact = new Op[opCount];
        for (int k = 0; k < opCount; k++) exact[k] = ops[k];
        return new Form(exact, pool, thunks, constantCount, scalars, vectors, ComputeWritesBeforeFault(insts));
    }

    /// <summary>Runs the block; returns the next guest PC (ctx->Exit set for syscalls and traps).</summary>
    [SkipLocalsInit]
    public ulong Execute(CpuContext* ctx)
    {
        if (ctx == null) return 0; // Prejit of a block that fell back to this tier
        // One spare slot: the constant copy writes pairs.
        ulong* s = stackalloc ulong[_scalarSlots + 1];
        Vector128<byte>* v = stackalloc Vector128<byte>[_vectorSlots];
        return Run(ctx, s, v);
    }

    /// <summary>Scalar and vector slots a caller's areas for <see cref="Execute(CpuContext*, SlotAreas*)"/> hold.</summary>
    public const int AreaScalarSlots = 2048, AreaVectorSlots = 512;

    /// <summary>Slot areas a caller keeps for many runs (Dispatcher.Run, on its stack).</summary>
    [System.Runtime.CompilerServices.InlineArray(AreaScalarSlots)]
    public struct ScalarArea
    {
        private ulong _first;
    }

    [System.Runtime.CompilerServices.InlineArray(AreaVectorSlots)]
    public struct VectorArea
    {
        private Vector128<byte> _first;
    }

    /// <summary>The caller's slot areas.</summary>
    public struct SlotAreas
    {
        public ScalarArea Scalars;
        public VectorArea Vectors;
    }

    /// <summary>
    /// Runs the block with its values in <paramref name="areas"/> (no stack allocation per run; a block with
    /// more values than they hold gets its own). The areas may hold anything: every slot is written before it is read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Execute(CpuContext* ctx, SlotAreas* areas) => _fitsAreas
        ? Run(ctx, (ulong*)&areas->Scalars, (Vector128<byte>*)&areas->Vectors)
        : Execute(ctx);

    [SkipLocalsInit]
    private ulong Run(CpuContext* ctx, ulong* s, Vector128<byte>* v)
    {
        byte* c = (byte*)ctx;
        byte* memBase = (byte*)ctx->MemBase;
        ulong memMask = ctx->MemMask;
        fixed (Op* ops = _ops)
        {
            // A plain loop: the count is small and Memmove's call costs more than the copy. An odd count copies
            // one spare value into the next slot, which is written before it is read.
            int constantCount = _constantCount;
            Op* first = ops + ((constantCount + 1) >> 1);
            ulong* to = s;
            for (Op* carrier = ops; carrier < first; carrier++, to += 2)
            {
                to[0] = carrier->Imm;
                to[1] = carrier->Imm2;
            }
            for (Op* op = first; ; op++)
            {
                switch (op->Code)
                {
                    case IrOp.Nop: break;
                    case IrOp.Const: s[op->Dst] = op->Imm; break;
                    case IrOp.GetReg: s[op->Dst] = *(ulong*)(c + op->Imm); break;
                    case IrOp.SetReg: *(ulong*)(c + op->Imm) = s[op->A]; break;
                    case GetReg2:
                        s[op->Dst] = *(ulong*)(c + op->Imm);
                        s[op->B] = *(ulong*)(c + op->Imm2);
                        break;
                    case SetReg2:
                        *(ulong*)(c + op->Imm) = s[op->A];
                        *(ulong*)(c + op->Imm2) = s[op->B];
                        break;
                    case IrOp.GetFlags: s[op->Dst] = ctx->Nzcv; break;
                    case IrOp.SetFlags: ctx->Nzcv = s[op->A]; break;
                    case IrOp.GetSys: s[op->Dst] = *(ulong*)(c + op->Imm); break;
                    case IrOp.SetSys: *(ulong*)(c + op->Imm) = s[op->A]; break;
                    case IrOp.GetVec: v[op->Dst] = Unsafe.ReadUnaligned<Vector128<byte>>(c + op->Imm); break;
                    case IrOp.SetVec: Unsafe.WriteUnaligned(c + op->Imm, v[op->A]); break;

                    case Add64: s[op->Dst] = s[op->A] + s[op->B]; break;
                    case Sub64: s[op->Dst] = s[op->A] - s[op->B]; break;
                    case And64: s[op->Dst] = s[op->A] & s[op->B]; break;
                    case Or64: s[op->Dst] = s[op->A] | s[op->B]; break;
                    case Xor64: s[op->Dst] = s[op->A] ^ s[op->B]; break;
                    case Shl64: s[op->Dst] = s[op->A] << (int)(s[op->B] & 63); break;
                    case Lsr64: s[op->Dst] = s[op->A] >> (int)(s[op->B] & 63); break;
                    case AddI64: s[op->Dst] = s[op->A] + op->Imm; break;
                    case AddRegI64: s[op->Dst] = *(ulong*)(c + op->Imm2) + op->Imm; break;
                    case AndI64: s[op->Dst] = s[op->A] & op->Imm; break;
                    case ShlI64: s[op->Dst] = s[op->A] << (int)(op->Imm & 63); break;
                    case LsrI64: s[op->Dst] = s[op->A] >> (int)(op->Imm & 63); break;
                    case AsrI64: s[op->Dst] = (ulong)((long)s[op->A] >> (int)(op->Imm & 63)); break;
                    case AddI: s[op->Dst] = IrSemantics.Add(s[op->A], op->Imm, op->Size); break;
                    case SubI: s[op->Dst] = IrSemantics.Sub(s[op->A], op->Imm, op->Size); break;
                    case AndI: s[op->Dst] = IrSemantics.And(s[op->A], op->Imm, op->Size); break;
                    case OrI: s[op->Dst] = IrSemantics.Or(s[op->A], op->Imm, op->Size); break;
                    case XorI: s[op->Dst] = IrSemantics.Xor(s[op->A], op->Imm, op->Size); break;
                    case ShlI: s[op->Dst] = IrSemantics.Shl(s[op->A], op->Imm, op->Size); break;
                    case LsrI: s[op->Dst] = IrSemantics.Lsr(s[op->A], op->Imm, op->Size); break;
                    case AsrI: s[op->Dst] = IrSemantics.Asr(s[op->A], op->Imm, op->Size); break;
                    case CompareI: s[op->Dst] = IrSemantics.Compare(s[op->A], op->Imm, (IrCompare)op->Imm2, op->Size); break;
                    case FlagsSubI: s[op->Dst] = IrSemantics.FlagsSub(s[op->A], op->Imm, op->Size); break;
                    case FlagsAddI: s[op->Dst] = IrSemantics.FlagsAdd(s[op->A], op->Imm, op->Size); break;
                    case SetRegI: *(ulong*)(c + op->Imm) = op->Imm2; break;
                    case MoveReg: *(ulong*)(c + op->Imm) = *(ulong*)(c + op->Imm2); break;
                    case LoadR: *(ulong*)(c + op->Reg) = s[op->Dst] = MemoryHelpers.Load(memBase + (s[op->A] & memMask), (int)op->Imm); break;
                    case LoadOffR: *(ulong*)(c + op->Reg) = s[op->Dst] = MemoryHelpers.Load(memBase + ((s[op->A] + op->Imm2) & memMask), (int)op->Imm); break;
                    case Load8OffR: *(ulong*)(c + op->Reg) = s[op->Dst] = Unsafe.ReadUnaligned<ulong>(memBase + ((s[op->A] + op->Imm2) & memMask)); break;
                    case Add64R: *(ulong*)(c + op->Reg) = s[op->Dst] = s[op->A] + s[op->B]; break;
                    case AddI64R: *(ulong*)(c + op->Reg) = s[op->Dst] = s[op->A] + op->Imm; break;
                    case AddRegI64R: *(ulong*)(c + op->Reg) = s[op->Dst] = *(ulong*)(c + op->Imm2) + op->Imm; break;
                    case Load8Off: s[op->Dst] = Unsafe.ReadUnaligned<ulong>(memBase + ((s[op->A] + op->Imm2) & memMask)); break;
                    case Store8Off: Unsafe.WriteUnaligned(memBase + ((s[op->A] + op->Imm2) & memMask), s[op->B]); break;
                    case Load8Off2:
                        {
                            ulong baseAddress = s[op->A];
                            s[op->Dst] = Unsafe.ReadUnaligned<ulong>(memBase + ((baseAddress + op->Imm2) & memMask));
                            s[op->B] = Unsafe.ReadUnaligned<ulong>(memBase + ((baseAddress + op->Imm) & memMask));
                            break;
                        }
                    case Store8Off2:
                        {
                            ulong baseAddress = s[op->A];
                            Unsafe.WriteUnaligned(memBase + ((baseAddress + op->Imm2) & memMask), s[op->B]);
                            Unsafe.WriteUnaligned(memBase + ((baseAddress + op->Imm) & memMask), s[op->C]);
                            break;
                        }
                    case Load8OffX: s[op->Dst] = Unsafe.ReadUnaligned<ulong>(memBase + ((*(ulong*)(c + op->Rel) + op->Imm2) & memMask)); break;
                    case Load8OffXR: *(ulong*)(c + op->Reg) = s[op->Dst] = Unsafe.ReadUnaligned<ulong>(memBase + ((*(ulong*)(c + op->Rel) + op->Imm2) & memMask)); break;
                    case Store8OffX: Unsafe.WriteUnaligned(memBase + ((*(ulong*)(c + op->Rel) + op->Imm2) & memMask), s[op->B]); break;
                    case Load8OffX2:
                        {
                            ulong baseAddress = *(ulong*)(c + op->Rel);
                            s[op->Dst] = Unsafe.ReadUnaligned<ulong>(memBase + ((baseAddress + op->Imm2) & memMask));
                            s[op->B] = Unsafe.ReadUnaligned<ulong>(memBase + ((baseAddress + op->Imm) & memMask));
                            break;
                        }
                    case Store8OffX2:
                        {
                            ulong baseAddress = *(ulong*)(c + op->Rel);
                            Unsafe.WriteUnaligned(memBase + ((baseAddress + op->Imm2) & memMask), s[op->B]);
                            Unsafe.WriteUnaligned(memBase + ((baseAddress + op->Imm) & memMask), s[op->C]);
                            break;
                        }
                    case Load4Off: s[op->Dst] = Unsafe.ReadUnaligned<uint>(memBase + ((s[op->A] + op->Imm2) & memMask)); break;
                    case Load2Off: s[op->Dst] = Unsafe.ReadUnaligned<ushort>(memBase + ((s[op->A] + op->Imm2) & memMask)); break;
                    case Load1Off: s[op->Dst] = memBase[(s[op->A] + op->Imm2) & memMask]; break;
                    case Store4Off: Unsafe.WriteUnaligned(memBase + ((s[op->A] + op->Imm2) & memMask), (uint)s[op->B]); break;
                    case Store2Off: Unsafe.WriteUnaligned(memBase + ((s[op->A] + op->Imm2) & memMask), (ushort)s[op->B]); break;
                    case Store1Off: memBase[(s[op->A] + op->Imm2) & memMask] = (byte)s[op->B]; break;
                    case LoadOff: s[op->Dst] = MemoryHelpers.Load(memBase + ((s[op->A] + op->Imm2) & memMask), (int)op->Imm); break;
                    case StoreOff: MemoryHelpers.Store(memBase + ((s[op->A] + op->Imm2) & memMask), s[op->B], (int)op->Imm); break;
                    case LoadVecOff: v[op->Dst] = MemoryHelpers.LoadVec(memBase + ((s[op->A] + op->Imm2) & memMask), (int)op->Imm); break;
                    case StoreVecOff: MemoryHelpers.StoreVec(memBase + ((s[op->A] + op->Imm2) & memMask), v[op->B], (int)op->Imm); break;
                    case IrOp.Add: s[op->Dst] = IrSemantics.Add(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Sub: s[op->Dst] = IrSemantics.Sub(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Mul: s[op->Dst] = IrSemantics.Mul(s[op->A], s[op->B], op->Size); break;
                    case IrOp.And: s[op->Dst] = IrSemantics.And(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Or: s[op->Dst] = IrSemantics.Or(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Xor: s[op->Dst] = IrSemantics.Xor(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Not: s[op->Dst] = IrSemantics.Not(s[op->A], op->Size); break;
                    case IrOp.Neg: s[op->Dst] = IrSemantics.Neg(s[op->A], op->Size); break;
                    case IrOp.Shl: s[op->Dst] = IrSemantics.Shl(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Lsr: s[op->Dst] = IrSemantics.Lsr(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Asr: s[op->Dst] = IrSemantics.Asr(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Ror: s[op->Dst] = IrSemantics.Ror(s[op->A], s[op->B], op->Size); break;
                    case IrOp.UMulHigh: s[op->Dst] = IrSemantics.UMulHigh(s[op->A], s[op->B]); break;
                    case IrOp.SMulHigh: s[op->Dst] = IrSemantics.SMulHigh(s[op->A], s[op->B]); break;
                    case IrOp.UDiv: s[op->Dst] = IrSemantics.UDiv(s[op->A], s[op->B], op->Size); break;
                    case IrOp.SDiv: s[op->Dst] = IrSemantics.SDiv(s[op->A], s[op->B], op->Size); break;
                    case IrOp.Clz: s[op->Dst] = IrSemantics.Clz(s[op->A], op->Size); break;
                    case IrOp.Cls: s[op->Dst] = IrSemantics.Cls(s[op->A], op->Size); break;
                    case IrOp.Rbit: s[op->Dst] = IrSemantics.Rbit(s[op->A], op->Size); break;
                    case IrOp.Rev: s[op->Dst] = IrSemantics.Rev(s[op->A], op->Size); break;
                    case IrOp.Rev16: s[op->Dst] = IrSemantics.Rev16(s[op->A], op->Size); break;
                    case IrOp.Rev32: s[op->Dst] = IrSemantics.Rev32(s[op->A]); break;
                    case IrOp.SignExtend: s[op->Dst] = IrSemantics.SignExtend(s[op->A], (int)op->Imm); break;
                    case IrOp.ZeroExtend: s[op->Dst] = IrSemantics.ZeroExtend(s[op->A], (int)op->Imm); break;
                    case IrOp.Compare: s[op->Dst] = IrSemantics.Compare(s[op->A], s[op->B], (IrCompare)op->Imm, op->Size); break;
                    case IrOp.Select: s[op->Dst] = s[op->A] != 0 ? s[op->B] : s[op->C]; break;
                    case IrOp.AddCarry: s[op->Dst] = IrSemantics.AddCarry(s[op->A], s[op->B], s[op->C], op->Size); break;
                    case IrOp.FlagsAdd: s[op->Dst] = IrSemantics.FlagsAdd(s[op->A], s[op->B], op->Size); break;
                    case IrOp.FlagsAddCarry: s[op->Dst] = IrSemantics.FlagsAddCarry(s[op->A], s[op->B], s[op->C], op->Size); break;
                    case IrOp.FlagsSub: s[op->Dst] = IrSemantics.FlagsSub(s[op->A], s[op->B], op->Size); break;
                    case IrOp.FlagsLogic: s[op->Dst] = IrSemantics.FlagsLogic(s[op->A], op->Size); break;
                    case IrOp.CondHolds: s[op->Dst] = IrSemantics.CondHolds(s[op->A], (int)op->Imm); break;

                    case IrOp.Load: s[op->Dst] = MemoryHelpers.Load(memBase + (s[op->A] & memMask), (int)op->Imm); break;
                    case IrOp.Store: MemoryHelpers.Store(memBase + (s[op->A] & memMask), s[op->B], (int)op->Imm); break;
                    case IrOp.LoadVec: v[op->Dst] = MemoryHelpers.LoadVec(memBase + (s[op->A] & memMask), (int)op->Imm); break;
                    case IrOp.StoreVec: MemoryHelpers.StoreVec(memBase + (s[op->A] & memMask), v[op->B], (int)op->Imm); break;
                    case IrOp.LoadExclusive: s[op->Dst] = ExclusiveMonitor.LoadExclusive(ctx, s[op->A], op->Imm); break;
                    case IrOp.StoreExclusive: s[op->Dst] = ExclusiveMonitor.StoreExclusive(ctx, s[op->A], s[op->B], op->Imm); break;
                    case IrOp.LoadExclusivePair: s[op->Dst] = ExclusiveMonitor.LoadExclusivePair(ctx, s[op->A], op->Imm); break;
                    case IrOp.LoadExclusiveHigh: s[op->Dst] = ExclusiveMonitor.LoadExclusiveHigh(ctx); break;
                    case IrOp.StoreExclusivePair: s[op->Dst] = ExclusiveMonitor.StoreExclusivePair(ctx, s[op->A], s[op->B], s[op->C], op->Imm); break;
                    case IrOp.ClearExclusive: ExclusiveMonitor.ClearExclusive(ctx); break;
                    case IrOp.Barrier: Interlocked.MemoryBarrier(); break;

                    case IrOp.Call:
                        fixed (int* pool = _pool) _thunks[op->B](ctx, (byte*)s, (byte*)v, pool + op->A);
                        break;

                    case IrOp.Jump: return op->Imm;
                    case IrOp.JumpIndirect: return s[op->A];
                    case IrOp.Branch: return s[op->A] != 0 ? op->Imm : op->Imm2;
                    case BranchCond: return MaskHolds(op->B, s[op->A]) ? op->Imm : op->Imm2;
                    case SetFlagsBranchCond:
                        {
                            ulong nzcv = s[op->A];
                            ctx->Nzcv = nzcv;
                            return MaskHolds(op->B, nzcv) ? op->Imm : op->Imm2;
                        }
                    case FlagsSubIBranch:
                        {
                            ulong nzcv = IrSemantics.FlagsSub(s[op->A], op->Imm, op->Size);
                            s[op->Dst] = nzcv;
                            ctx->Nzcv = nzcv;
                            return MaskHolds(op->B, nzcv) ? op->Imm2 + (ulong)(long)op->Rel : op->Imm2;
                        }
                    case FlagsSubBranch:
                        {
                            ulong nzcv = IrSemantics.FlagsSub(s[op->A], s[op->C], op->Size);
                            s[op->Dst] = nzcv;
                            ctx->Nzcv = nzcv;
                            return MaskHolds(op->B, nzcv) ? op->Imm : op->Imm2;
                        }
                    case BranchZero: return (op->Size == 32 ? (uint)s[op->A] : s[op->A]) == 0 ? op->Imm : op->Imm2;
                    case BranchNonZero: return (op->Size == 32 ? (uint)s[op->A] : s[op->A]) != 0 ? op->Imm : op->Imm2;
                    case IrOp.Exit:
                        ctx->Exit = (ExitReason)(uint)op->Imm2;
                        ctx->ExitInfo = (int)(op->Imm2 >> 32);
                        return op->Imm;
                    default: throw new InvalidOperationException($"cold tier: unknown op {op->Code}");
                }
            }
        }
    }
}
