using System.Text;

namespace Emu.IR;

/// <summary>
/// One IR instruction; when it has a result, the instruction is the value (SSA: operands point at the
/// instructions that produce them).
/// </summary>
public sealed class IrInst
{
    public IrOp Op;
    /// <summary>Operand width in bits for arithmetic, compare and flags ops (32 or 64).</summary>
    public byte Size = 64;
    public IrInst? A, B, C;
    public ulong Imm, Imm2, Imm3;
    /// <summary>For <see cref="IrOp.Call"/>: the helper and its arguments.</summary>
    public IrHelper? Helper;
    public IrInst[]? Args;
    /// <summary>Address of the guest instruction this op was translated from.</summary>
    public ulong GuestPc;
    /// <summary>Dense number assigned by <see cref="IrBlock.Renumber"/> (slot in the cold tier, local in Tier 1).</summary>
    public int Index;

    // Scratch state of the optimization passes (fields, not hash tables: passes run on every translated block).
    /// <summary>The value that replaces this one during a pass (null: none).</summary>
    internal IrInst? Replacement;
    /// <summary>Set while a pass decides this op is removed or used.</summary>
    internal bool Marked;

    public IrInst(IrOp op) => Op = op;

    public IrType Type => Op == IrOp.Call ? Helper!.ResultType : IrOpInfo.Of(Op).Result;
    public bool HasResult => Type != IrType.None;
    public bool IsTerminator => IrOpInfo.Of(Op).Terminator;
    public bool HasSideEffect => Op == IrOp.Call ? !Helper!.IsPure : IrOpInfo.Of(Op).SideEffect;

    /// <summary>Operands in order (A, B, C, or Args for calls).</summary>
    // A struct enumerable, not an iterator method: Tier 1 walks every op's operands several times per compile,
    // and an iterator object each time was the compile thread's largest allocation.
    public OperandList Operands() => new(this);

    /// <summary>The operands of one op, enumerated without allocating.</summary>
    public readonly struct OperandList(IrInst inst)
    {
        public Enumerator GetEnumerator() => new(inst);

        public struct Enumerator(IrInst inst)
        {
            // Args: index into them; otherwise 0, 1, 2 for A, B, C (null ones skipped).
            private int _next;

            private IrInst? _current;

            public readonly IrInst Current => _current!;

            public bool MoveNext()
            {
                if (inst.Args is { } args)
                {
                    if (_next >= args.Length) return false;
                    _current = args[_next++];
                    return true;
                }
                while (_next < 3)
                {
                    var o = _next++ switch { 0 => inst.A, 1 => inst.B, _ => inst.C };
                    if (o != null)
                    {
                        _current = o;
                        return true;
                    }
                }
                return false;
            }
        }
    }

    /// <summary>Replaces every use of <paramref name="from"/> among the operands by <paramref name="to"/>.</summary>
    public void ReplaceOperand(IrInst from, IrInst to)
    {
        if (A == from) A = to;
        if (B == from) B = to;
        if (C == from) C = to;
        if (Args != null)
            for (int i = 0; i < Args.Length; i++)
                if (Args[i] == from) Args[i] = to;
    }

    public bool IsConst => Op == IrOp.Const;

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (HasResult) sb.Append('v').Append(Index).Append(" = ");
        sb.Append(Op);
        if (Op is >= IrOp.Add and <= IrOp.CondHolds && Op is not (IrOp.SignExtend or IrOp.ZeroExtend or IrOp.CondHolds or IrOp.Select))
            sb.Append('.').Append(Size);
        bool first = true;
        foreach (var o in Operands())
        {
            sb.Append(first ? " " : ", ").Append('v').Append(o.Index);
            first = false;
        }
        switch (Op)
        {
            case IrOp.Const or IrOp.Jump:
                sb.Append(" 0x").Append(Imm.ToString("x"));
                break;
            case IrOp.GetReg or IrOp.SetReg:
                sb.Append(first ? " " : ", ").Append(Imm == 31 ? "sp" : "x" + Imm);
                break;
            case IrOp.GetVec or IrOp.SetVec:
                sb.Append(first ? " " : ", ").Append('v').Append(Imm);
                break;
            case IrOp.GetSys or IrOp.SetSys:
                sb.Append(first ? " " : ", ").Append((Emu.Cpu.SysReg)Imm);
                break;
            case IrOp.Compare:
                sb.Append(", ").Append((IrCompare)Imm);
                break;
            case IrOp.CondHolds:
                sb.Append(", cond ").Append(Imm);
                break;
            case IrOp.SignExtend or IrOp.ZeroExtend or IrOp.Load or IrOp.Store or IrOp.LoadVec or IrOp.StoreVec
                or IrOp.LoadExclusive or IrOp.StoreExclusive or IrOp.LoadExclusivePair or IrOp.StoreExclusivePair:
                sb.Append(", ").Append(Imm);
                break;
            case IrOp.Branch:
                sb.Append(", 0x").Append(Imm.ToString("x")).Append(", 0x").Append(Imm2.ToString("x"));
                break;
            case IrOp.Exit:
                sb.Append(' ').Append((Emu.Cpu.ExitReason)Imm2).Append(" pc=0x").Append(Imm.ToString("x"));
                break;
            case IrOp.Call:
                sb.Append(' ').Append(Helper!.Name);
                break;
        }
        return sb.ToString();
    }
}
