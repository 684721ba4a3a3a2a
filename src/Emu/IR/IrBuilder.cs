using System.Diagnostics.CodeAnalysis;
using Emu.Cpu;

namespace Emu.IR;

/// <summary>Appends IR to a block. The front end uses this and nothing else to produce IR.</summary>
public sealed class IrBuilder
{
    public IrBlock Block { get; }
    /// <summary>Guest address stamped on every op emitted (the instruction being translated).</summary>
    public ulong CurrentPc { get; set; }

    private readonly IrInstPool? _pool;

    public IrBuilder(IrBlock block) => Block = block;

    /// <summary>
    /// With <paramref name="pool"/>, ops are taken from it: the block's IR is then only valid until the pool
    /// is reset (the next transient translation on this thread).
    /// </summary>
    public IrBuilder(IrBlock block, IrInstPool? pool)
    {
        Block = block;
        _pool = pool;
    }

    /// <summary>Starts over on the (restarted) block: for a builder reused with its pool.</summary>
    internal void Restart()
    {
        Ended = false;
        CurrentPc = 0;
    }

    private IrInst New(IrOp op) => _pool != null ? _pool.Rent(op) : new IrInst(op);

    /// <summary>True once a terminator was emitted (tracked, not looked up: this is asked after every guest instruction).</summary>
    public bool Ended { get; private set; }

    private IrInst Add(IrInst i)
    {
        if (Ended) throw new InvalidOperationException("IR emitted after the block's terminator");
        if (IrOpInfo.Of(i.Op).Terminator) Ended = true;
        i.GuestPc = CurrentPc;
        Block.Insts.Add(i);
        return i;
    }

    private IrInst Op(IrOp op, int size, IrInst? a = null, IrInst? b = null, IrInst? c = null, ulong imm = 0) =>
        Add(Init(New(op), size, a, b, c, imm));

    private static IrInst Init(IrInst i, int size, IrInst? a, IrInst? b, IrInst? c, ulong imm)
    {
        i.Size = (byte)size;
        i.A = a;
        i.B = b;
        i.C = c;
        i.Imm = imm;
        return i;
    }

    public IrInst Const(ulong value) => Op(IrOp.Const, 64, imm: value);
    public IrInst Const(long value) => Const((ulong)value);

    public IrInst GetReg(int r) => Op(IrOp.GetReg, 64, imm: (ulong)r);
    public void SetReg(int r, IrInst v) => Op(IrOp.SetReg, 64, v, imm: (ulong)r);
    public IrInst GetFlags() => Op(IrOp.GetFlags, 64);
    public void SetFlags(IrInst nzcv) => Op(IrOp.SetFlags, 64, nzcv);
    public IrInst GetSys(SysReg r) => Op(IrOp.GetSys, 64, imm: (ulong)r);
    public void SetSys(SysReg r, IrInst v) => Op(IrOp.SetSys, 64, v, imm: (ulong)r);
    public IrInst GetVec(int v) => Op(IrOp.GetVec, 128, imm: (ulong)v);
    public void SetVec(int v, IrInst value) => Op(IrOp.SetVec, 128, value, imm: (ulong)v);

    public IrInst Add(IrInst a, IrInst b, int size = 64) => Op(IrOp.Add, size, a, b);
    public IrInst Sub(IrInst a, IrInst b, int size = 64) => Op(IrOp.Sub, size, a, b);
    public IrInst Mul(IrInst a, IrInst b, int size = 64) => Op(IrOp.Mul, size, a, b);
    public IrInst And(IrInst a, IrInst b, int size = 64) => Op(IrOp.And, size, a, b);
    public IrInst Or(IrInst a, IrInst b, int size = 64) => Op(IrOp.Or, size, a, b);
    public IrInst Xor(IrInst a, IrInst b, int size = 64) => Op(IrOp.Xor, size, a, b);
    public IrInst Not(IrInst a, int size = 64) => Op(IrOp.Not, size, a);
    public IrInst Neg(IrInst a, int size = 64) => Op(IrOp.Neg, size, a);
    public IrInst Shl(IrInst a, IrInst amount, int size = 64) => Op(IrOp.Shl, size, a, amount);
    public IrInst Lsr(IrInst a, IrInst amount, int size = 64) => Op(IrOp.Lsr, size, a, amount);
    public IrInst Asr(IrInst a, IrInst amount, int size = 64) => Op(IrOp.Asr, size, a, amount);
    public IrInst Ror(IrInst a, IrInst amount, int size = 64) => Op(IrOp.Ror, size, a, amount);
    public IrInst UMulHigh(IrInst a, IrInst b) => Op(IrOp.UMulHigh, 64, a, b);
    public IrInst SMulHigh(IrInst a, IrInst b) => Op(IrOp.SMulHigh, 64, a, b);
    public IrInst UDiv(IrInst a, IrInst b, int size = 64) => Op(IrOp.UDiv, size, a, b);
    public IrInst SDiv(IrInst a, IrInst b, int size = 64) => Op(IrOp.SDiv, size, a, b);
    public IrInst Clz(IrInst a, int size = 64) => Op(IrOp.Clz, size, a);
    public IrInst Cls(IrInst a, int size = 64) => Op(IrOp.Cls, size, a);
    public IrInst Rbit(IrInst a, int size = 64) => Op(IrOp.Rbit, size, a);
    public IrInst Rev(IrInst a, int size = 64) => Op(IrOp.Rev, size, a);
    public IrInst Rev16(IrInst a, int size = 64) => Op(IrOp.Rev16, size, a);
    public IrInst Rev32(IrInst a) => Op(IrOp.Rev32, 64, a);
    public IrInst SignExtend(IrInst a, int fromBits) => Op(IrOp.SignExtend, 64, a, imm: (ulong)fromBits);
    public IrInst ZeroExtend(IrInst a, int fromBits) => Op(IrOp.ZeroExtend, 64, a, imm: (ulong)fromBits);
    public IrInst Compare(IrInst a, IrInst b, IrCompare kind, int size = 64) => Op(IrOp.Compare, size, a, b, imm: (ulong)kind);
    public IrInst Select(IrInst cond, IrInst ifTrue, IrInst ifFalse) => Op(IrOp.Select, 64, cond, ifTrue, ifFalse);
    public IrInst AddCarry(IrInst a, IrInst b, IrInst carry, int size = 64) => Op(IrOp.AddCarry, size, a, b, carry);

    public IrInst FlagsAdd(IrInst a, IrInst b, int size = 64) => Op(IrOp.FlagsAdd, size, a, b);
    public IrInst FlagsAddCarry(IrInst a, IrInst b, IrInst carry, int size = 64) => Op(IrOp.FlagsAddCarry, size, a, b, carry);
    public IrInst FlagsSub(IrInst a, IrInst b, int size = 64) => Op(IrOp.FlagsSub, size, a, b);
    public IrInst FlagsLogic(IrInst result, int size = 64) => Op(IrOp.FlagsLogic, size, result);
    public IrInst CondHolds(IrInst nzcv, int cond) => Op(IrOp.CondHolds, 64, nzcv, imm: (ulong)cond);

    public IrInst Load(IrInst address, int bytes) => Op(IrOp.Load, 64, address, imm: (ulong)bytes);
    public void Store(IrInst address, IrInst value, int bytes) => Op(IrOp.Store, 64, address, value, imm: (ulong)bytes);
    public IrInst LoadVec(IrInst address, int bytes) => Op(IrOp.LoadVec, 128, address, imm: (ulong)bytes);
    public void StoreVec(IrInst address, IrInst value, int bytes) => Op(IrOp.StoreVec, 128, address, value, imm: (ulong)bytes);
    public IrInst LoadExclusive(IrInst address, int bytes) => Op(IrOp.LoadExclusive, 64, address, imm: (ulong)bytes);
    public IrInst StoreExclusive(IrInst address, IrInst value, int bytes) => Op(IrOp.StoreExclusive, 64, address, value, imm: (ulong)bytes);
    public IrInst LoadExclusivePair(IrInst address, int bytes) => Op(IrOp.LoadExclusivePair, 64, address, imm: (ulong)bytes);
    public IrInst LoadExclusiveHigh() => Op(IrOp.LoadExclusiveHigh, 64);
    public IrInst StoreExclusivePair(IrInst address, IrInst lo, IrInst hi, int bytes) => Op(IrOp.StoreExclusivePair, 64, address, lo, hi, (ulong)bytes);
    public void ClearExclusive() => Op(IrOp.ClearExclusive, 64);
    public void Barrier() => Op(IrOp.Barrier, 64);

    /// <summary>Calls a helper; returns its result (or the call itself for void helpers).</summary>
    public IrInst Call(IrHelper helper, params IrInst[] args)
    {
        if (args.Length != helper.ArgTypes.Length)
            throw new ArgumentException($"{helper.Name} takes {helper.ArgTypes.Length} arguments, got {args.Length}");
        for (int i = 0; i < args.Length; i++)
            if (args[i].Type != helper.ArgTypes[i])
                throw new ArgumentException($"{helper.Name} argument {i} is {args[i].Type}, expected {helper.ArgTypes[i]}");
        var call = New(IrOp.Call);
        call.Helper = helper;
        call.Args = args;
        return Add(call);
    }

    public IrInst Call([DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type, string name, params IrInst[] args) => Call(IrHelper.Get(type, name), args);

    public void Jump(ulong target) => Op(IrOp.Jump, 64, imm: target);
    public void JumpIndirect(IrInst target) => Op(IrOp.JumpIndirect, 64, target);
    public void Branch(IrInst cond, ulong taken, ulong notTaken)
    {
        var i = New(IrOp.Branch);
        i.A = cond;
        i.Imm = taken;
        i.Imm2 = notTaken;
        Add(i);
    }

    public void Exit(ExitReason reason, ulong pc, int info = 0)
    {
        var i = New(IrOp.Exit);
        i.Imm = pc;
        i.Imm2 = (ulong)reason;
        i.Imm3 = (ulong)(uint)info;
        Add(i);
    }
}
