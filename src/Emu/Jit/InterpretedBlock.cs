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
/// </summary>
public sealed unsafe class InterpretedBlock
{
    private struct Op
    {
        public IrOp Code;
        public byte Size;
        /// <summary>Result slot (scalar or vector slot, by the op's result type).</summary>
        public int Dst;
        /// <summary>Operand slots. Call: A = start of its argument list in the pool, B = thunk index. Exit: C = info.</summary>
        public int A, B, C;
        /// <summary>Immediate; for guest state, the byte offset of the field in the context.</summary>
        public ulong Imm;
        public ulong Imm2;
    }

    // Size-specialized forms of the commonest 64-bit ops (codes outside IrOp's range).
    private const IrOp Add64 = (IrOp)200, Sub64 = (IrOp)201, And64 = (IrOp)202, Or64 = (IrOp)203, Xor64 = (IrOp)204,
        Shl64 = (IrOp)205, Lsr64 = (IrOp)206;

    private readonly Op[] _ops;
    private readonly int[] _pool;
    private readonly HelperThunk[] _thunks;
    // Constants occupy the first scalar slots; they are copied in at once instead of run as ops.
    private readonly ulong[] _constants;
    private readonly int _scalarSlots, _vectorSlots;

    private InterpretedBlock(Op[] ops, int[] pool, HelperThunk[] thunks, ulong[] constants, int scalarSlots, int vectorSlots)
    {
        _ops = ops;
        _pool = pool;
        _thunks = thunks;
        _constants = constants;
        _scalarSlots = scalarSlots;
        _vectorSlots = vectorSlots;
    }

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

    /// <summary>Prepares <paramref name="block"/> (already optimized) for interpretation.</summary>
    public static InterpretedBlock Prepare(IrBlock block)
    {
        // Arrays sized by a first count, not Lists: this runs for every translated block, and a List over
        // Op (a value type of ours) is not precompiled, so it would cost JIT time at every start-up.
        var insts = block.Insts;
        int n = block.Renumber();
        var slot = new int[n];
        int constantCount = 0, poolCount = 0, callCount = 0, nopCount = 0;
        foreach (var inst in insts)
        {
            if (inst.Op == IrOp.Const) constantCount++;
            else if (inst.Op == IrOp.Nop) nopCount++;
            else if (inst.Op == IrOp.Call)
            {
                callCount++;
                poolCount += 1 + inst.Args!.Length;
            }
        }
        var constants = new ulong[constantCount];
        constantCount = 0;
        foreach (var inst in insts)
        {
            if (inst.Op != IrOp.Const) continue;
            slot[inst.Index] = constantCount;
            constants[constantCount++] = inst.Imm;
        }
        int scalars = constantCount, vectors = 0;
        var ops = new Op[n - constantCount - nopCount];
        int opCount = 0;
        var pool = new int[Math.Max(poolCount, 1)];
        poolCount = 0;
        var thunks = callCount == 0 ? [] : new HelperThunk[callCount];
        callCount = 0;
        for (int i = 0; i < n; i++)
        {
            var inst = insts[i];
            if (inst.Op is IrOp.Nop or IrOp.Const) continue;
            var type = inst.Type;
            int dst = type == IrType.V128 ? vectors++ : type == IrType.I64 ? scalars++ : -1;
            slot[i] = dst;
            var op = new Op
            {
                Code = Specialize(inst.Op, inst.Size),
                Size = inst.Size,
                Dst = dst,
                A = inst.A != null ? slot[inst.A.Index] : -1,
                B = inst.B != null ? slot[inst.B.Index] : -1,
                C = inst.C != null ? slot[inst.C.Index] : -1,
                Imm = inst.Imm,
                Imm2 = inst.Imm2,
            };
            switch (inst.Op)
            {
                case IrOp.GetReg or IrOp.SetReg:
                    op.Imm = (ulong)CpuContext.OffsetOfX((int)inst.Imm);
                    break;
                case IrOp.GetSys or IrOp.SetSys:
                    op.Imm = (ulong)CpuContext.OffsetOfSys((SysReg)inst.Imm);
                    break;
                case IrOp.GetVec or IrOp.SetVec:
                    op.Imm = (ulong)CpuContext.OffsetOfV((int)inst.Imm);
                    break;
                case IrOp.Exit:
                    op.C = (int)inst.Imm3;
                    break;
                case IrOp.Call:
                    {
                        var h = inst.Helper!;
                        op.A = poolCount;
                        // Byte offsets into the slot areas, as the thunk reads them.
                        pool[poolCount++] = dst < 0 ? 0 : dst * (type == IrType.V128 ? 16 : 8);
                        foreach (var arg in inst.Args!)
                            pool[poolCount++] = slot[arg.Index] * (arg.Type == IrType.V128 ? 16 : 8);
                        op.B = callCount;
                        thunks[callCount++] = HelperThunks.Get(h);
                        break;
                    }
            }
            ops[opCount++] = op;
        }
        return new InterpretedBlock(ops, pool, thunks, constants, scalars, vectors);
    }

    /// <summary>Runs the block; returns the next guest PC (ctx->Exit set for syscalls and traps).</summary>
    [SkipLocalsInit]
    public ulong Execute(CpuContext* ctx)
    {
        if (ctx == null) return 0; // Prejit of a block that fell back to this tier
        ulong* s = stackalloc ulong[_scalarSlots];
        Vector128<byte>* v = stackalloc Vector128<byte>[_vectorSlots];
        byte* c = (byte*)ctx;
        byte* memBase = (byte*)ctx->MemBase;
        ulong memMask = ctx->MemMask;
        fixed (Op* first = _ops)
        fixed (int* pool = _pool)
        fixed (ulong* constants = _constants)
        {
            // A plain loop: the count is small and Memmove's call costs more than the copy.
            for (int i = 0, k = _constants.Length; i < k; i++) s[i] = constants[i];
            for (Op* op = first; ; op++)
            {
                switch (op->Code)
                {
                    case IrOp.Nop: break;
                    case IrOp.Const: s[op->Dst] = op->Imm; break;
                    case IrOp.GetReg: s[op->Dst] = *(ulong*)(c + op->Imm); break;
                    case IrOp.SetReg: *(ulong*)(c + op->Imm) = s[op->A]; break;
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

                    case IrOp.Call: _thunks[op->B](ctx, (byte*)s, (byte*)v, pool + op->A); break;

                    case IrOp.Jump: return op->Imm;
                    case IrOp.JumpIndirect: return s[op->A];
                    case IrOp.Branch: return s[op->A] != 0 ? op->Imm : op->Imm2;
                    case IrOp.Exit:
                        ctx->Exit = (ExitReason)op->Imm2;
                        ctx->ExitInfo = op->C;
                        return op->Imm;
                    default: throw new InvalidOperationException($"cold tier: unknown op {op->Code}");
                }
            }
        }
    }
}
