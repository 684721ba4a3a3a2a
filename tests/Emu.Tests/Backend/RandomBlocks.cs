using Emu.Cpu;
using Emu.IR;

namespace Emu.Tests.Backend;

/// <summary>
/// Deterministic random IR blocks (same seed, same block) that mix every scalar op, guest state
/// accesses, memory, helper calls and terminators; for cosimulating the back ends and the passes.
/// </summary>
public static class RandomBlocks
{
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 31, 32, 63, 64, ulong.MaxValue, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000,
        0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, 0xFF, 0x80, 0xFFFF, 0x8000,
    ];

    private static readonly IrOp[] Binary =
    [
        IrOp.Add, IrOp.Sub, IrOp.Mul, IrOp.And, IrOp.Or, IrOp.Xor, IrOp.Shl, IrOp.Lsr, IrOp.Asr, IrOp.Ror,
        IrOp.UDiv, IrOp.SDiv, IrOp.FlagsAdd, IrOp.FlagsSub, IrOp.Compare,
    ];

    private static readonly IrOp[] Unary =
    [
        IrOp.Not, IrOp.Neg, IrOp.Clz, IrOp.Cls, IrOp.Rbit, IrOp.Rev, IrOp.Rev16, IrOp.FlagsLogic,
    ];

    public static ulong RandomValue(Random rng) => rng.Next(3) switch
    {
        0 => Interesting[rng.Next(Interesting.Length)],
        1 => (ulong)rng.Next(-100, 100),
        _ => (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 40),
    };

    /// <summary>Builds block number <paramref name="seed"/>; the data area at <paramref name="data"/> (4 KiB) is used for memory ops.</summary>
    public static IrBlock Build(int seed, ulong data, int ops = 60)
    {
        var rng = new Random(seed);
        var block = new IrBlock(0x40000);
        var ir = new IrBuilder(block);
        var values = new List<IrInst>();
        var flags = new List<IrInst>();
        IrInst Pick() => values[rng.Next(values.Count)];
        IrInst PickFlags() => flags.Count > 0 && rng.Next(5) != 0 ? flags[rng.Next(flags.Count)] : Pick();
        int Size() => rng.Next(2) == 0 ? 32 : 64;

        for (int r = 0; r < 6; r++) values.Add(ir.GetReg(rng.Next(16)));
        flags.Add(ir.GetFlags());
        for (int i = 0; i < 4; i++) values.Add(ir.Const(RandomValue(rng)));

        for (int i = 0; i < ops; i++)
        {
            int kind = rng.Next(100);
            IrInst v;
            if (kind < 40)
            {
                var op = Binary[rng.Next(Binary.Length)];
                var a = Pick();
                var b = rng.Next(8) == 0 ? a : Pick(); // equal operands reach the Z and boundary cases
                int size = Size();
                v = op switch
                {
                    IrOp.Add => ir.Add(a, b, size),
                    IrOp.Sub => ir.Sub(a, b, size),
                    IrOp.Mul => ir.Mul(a, b, size),
                    IrOp.And => ir.And(a, b, size),
                    IrOp.Or => ir.Or(a, b, size),
                    IrOp.Xor => ir.Xor(a, b, size),
                    IrOp.Shl => ir.Shl(a, b, size),
                    IrOp.Lsr => ir.Lsr(a, b, size),
                    IrOp.Asr => ir.Asr(a, b, size),
                    IrOp.Ror => ir.Ror(a, b, size),
                    IrOp.UDiv => ir.UDiv(a, b, size),
                    IrOp.SDiv => ir.SDiv(a, b, size),
                    IrOp.FlagsAdd => ir.FlagsAdd(a, b, size),
                    IrOp.FlagsSub => ir.FlagsSub(a, b, size),
                    _ => ir.Compare(a, b, (IrCompare)rng.Next(10), size),
                };
                if (op is IrOp.FlagsAdd or IrOp.FlagsSub) flags.Add(v);
            }
            else if (kind < 55)
            {
                var op = Unary[rng.Next(Unary.Length)];
                var a = Pick();
                int size = Size();
                v = op switch
                {
                    IrOp.Not => ir.Not(a, size),
                    IrOp.Neg => ir.Neg(a, size),
                    IrOp.Clz => ir.Clz(a, size),
                    IrOp.Cls => ir.Cls(a, size),
                    IrOp.Rbit => ir.Rbit(a, size),
                    IrOp.Rev => ir.Rev(a, size),
                    IrOp.Rev16 => ir.Rev16(a, size),
                    _ => ir.FlagsLogic(a, size),
                };
                if (op == IrOp.FlagsLogic) flags.Add(v);
            }
            else if (kind < 65)
            {
                v = rng.Next(6) switch
                {
                    0 => ir.CondHolds(PickFlags(), rng.Next(16)),
                    1 => ir.CondHolds(PickFlags(), rng.Next(16)),
                    2 => ir.Select(Pick(), Pick(), Pick()),
                    3 => ir.AddCarry(Pick(), Pick(), ir.CondHolds(PickFlags(), 2), Size()),
                    4 => ir.SignExtend(Pick(), 8 << rng.Next(3)),
                    _ => ir.ZeroExtend(Pick(), 8 << rng.Next(3)),
                };
                if (rng.Next(4) == 0)
                {
                    var f = ir.FlagsAddCarry(Pick(), Pick(), ir.CondHolds(PickFlags(), 2), Size());
                    flags.Add(f);
                }
            }
            else if (kind < 70)
            {
                v = rng.Next(3) switch
                {
                    0 => ir.UMulHigh(Pick(), Pick()),
                    1 => ir.SMulHigh(Pick(), Pick()),
                    _ => ir.Rev32(Pick()),
                };
            }
            else if (kind < 80)
            {
                // Memory inside the data area.
                var addr = ir.Add(ir.And(Pick(), ir.Const(0xFF8UL)), ir.Const(data));
                int bytes = 1 << rng.Next(4);
                if (rng.Next(2) == 0)
                {
                    ir.Store(addr, Pick(), bytes);
                    continue;
                }
                v = ir.Load(addr, bytes);
            }
            else if (kind < 90)
            {
                // Guest state writes and (re)reads, to give get/set elimination work.
                int r = rng.Next(16);
                if (rng.Next(2) == 0) ir.SetReg(r, Pick());
                else if (rng.Next(2) == 0) ir.SetFlags(PickFlags());
                v = rng.Next(3) == 0 ? ir.GetFlags() : ir.GetReg(rng.Next(16));
                if (v.Op == IrOp.GetFlags) flags.Add(v);
            }
            else if (kind < 95)
            {
                v = ir.Call(typeof(TestHelpers), nameof(TestHelpers.AddThree), Pick(), Pick(), Pick());
            }
            else
            {
                v = ir.Call(typeof(TestHelpers), nameof(TestHelpers.SwapThroughContext), Pick());
            }
            values.Add(v);
        }

        // Make many values observable.
        for (int r = 0; r < 16; r++)
            if (rng.Next(3) != 0) ir.SetReg(r, values[values.Count - 1 - rng.Next(Math.Min(values.Count, 30))]);
        if (rng.Next(2) == 0) ir.SetFlags(PickFlags());
        switch (rng.Next(4))
        {
            case 0: ir.Jump(0x1234); break;
            case 1: ir.JumpIndirect(Pick()); break;
            case 2: ir.Exit(ExitReason.Syscall, 0x5678, 3); break;
            default: ir.Branch(ir.CondHolds(PickFlags(), rng.Next(16)), 0x1000, 0x2000); break;
        }
        return block;
    }
}
