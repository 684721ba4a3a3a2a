using Emu.Cpu;
using Emu.IR;
using Emu.Jit;
using Emu.Tests.Support;

namespace Emu.Tests.ColdTier;

/// <summary>
/// The cold tier fuses a branch with the condition it tests (CondHolds, or a compare with zero: CBZ, CBNZ, TBZ,
/// TBNZ), a SetFlags with the conditional branch right after it, and back-to-back register reads or writes.
/// Expected branch outcomes and flags are worked out by hand from the ARM condition table.
/// </summary>
public unsafe class FusedBranchTests
{
    private const ulong Taken = 0x5000, NotTaken = 0x4004;

    private static ulong RunBlock(InterpretedBlock cold, Action<IntPtr> setup, out ulong nzcv, Action<IntPtr>? check = null)
    {
        var ctx = CpuContext.Allocate();
        try
        {
            setup((IntPtr)ctx);
            ulong next = cold.Execute(ctx);
            nzcv = ctx->Nzcv;
            check?.Invoke((IntPtr)ctx);
            return next;
        }
        finally
        {
            CpuContext.Free(ctx);
        }
    }

    // Per condition EQ, NE, CS, CC, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE, AL, NV: taken after x0 - 5.
    [Theory]
    [InlineData(3UL, 0x8000_0000UL, "FTFTTFFTFTFTFTTT")] // 3 - 5: negative, borrow
    [InlineData(5UL, 0x6000_0000UL, "TFTFFTFTFTTFFTTT")] // equal: Z and C
    [InlineData(0x8000_0000_0000_0000UL, 0x3000_0000UL, "FTTFFTTFTFFTFTTT")] // INT64_MIN - 5: C and V
    public void BranchOnConditionOfFreshFlags(ulong x0, ulong expectedNzcv, string takenPerCondition)
    {
        for (int cond = 0; cond < 16; cond++)
        {
            foreach (bool immediate in new[] { true, false })
            {
                // CMP x0, #5 or CMP x0, x1 (x1 = 5); B.cond: one op after the register read(s).
                var block = new IrBlock(0x4000);
                var ir = new IrBuilder(block);
                var flags = ir.FlagsSub(ir.GetReg(0), immediate ? ir.Const(5UL) : ir.GetReg(1));
                ir.SetFlags(flags);
                ir.Branch(ir.CondHolds(flags, cond), Taken, NotTaken);
                block.Renumber();
                var cold = InterpretedBlock.Prepare(block);
                Assert.Equal(2, cold.OpCount);
                ulong next = RunBlock(cold, p =>
                {
                    ((CpuContext*)p)->X[0] = x0;
                    ((CpuContext*)p)->X[1] = 5;
                }, out ulong nzcv);
                Assert.Equal(expectedNzcv, nzcv);
                Assert.True((takenPerCondition[cond] == 'T' ? Taken : NotTaken) == next, $"condition {cond}");
            }
        }
    }

    [Fact]
    public void FlagsUsedAfterTheirBranchKeepTheirValue()
    {
        // CMP w0, #5 (32-bit) and a branch on it, the flags also written to x2: the fused op still fills their slot.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var flags = ir.FlagsSub(ir.GetReg(0), ir.Const(5UL), 32);
        ir.SetFlags(flags);
        ir.SetReg(2, flags);
        ir.Branch(ir.CondHolds(flags, 11), Taken, NotTaken); // LT
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        // w0 = 3 (the upper half is ignored): 3 - 5 is negative, with a borrow.
        ulong next = RunBlock(cold, p => ((CpuContext*)p)->X[0] = 0x7_0000_0003, out ulong nzcv,
            p => Assert.Equal(0x8000_0000UL, ((CpuContext*)p)->X[2]));
        Assert.Equal(0x8000_0000UL, nzcv);
        Assert.Equal(Taken, next);
    }

    [Fact]
    public void BranchOnConditionOfFlagsFromContext()
    {
        // Flags read from the context (set by an earlier block): the branch alone, no SetFlags to fuse.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        ir.Branch(ir.CondHolds(ir.GetFlags(), 8), Taken, NotTaken); // HI: C and not Z
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        Assert.Equal(2, cold.OpCount);
        Assert.Equal(Taken, RunBlock(cold, p => ((CpuContext*)p)->Nzcv = 0x2000_0000, out _));
        Assert.Equal(NotTaken, RunBlock(cold, p => ((CpuContext*)p)->Nzcv = 0x6000_0000, out _));
        Assert.Equal(NotTaken, RunBlock(cold, p => ((CpuContext*)p)->Nzcv = 0, out _));
    }

    [Theory]
    [InlineData(IrCompare.Eq, 32, 0xFFFF_FFFF_0000_0000UL, true)] // only the low 32 bits are compared
    [InlineData(IrCompare.Eq, 64, 0xFFFF_FFFF_0000_0000UL, false)]
    [InlineData(IrCompare.Ne, 32, 0xFFFF_FFFF_0000_0000UL, false)]
    [InlineData(IrCompare.Ne, 64, 0xFFFF_FFFF_0000_0000UL, true)]
    [InlineData(IrCompare.Eq, 64, 0UL, true)]
    [InlineData(IrCompare.Ne, 32, 0x8000_0000UL, true)]
    public void BranchOnCompareWithZero(IrCompare kind, int size, ulong x0, bool taken)
    {
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        ir.Branch(ir.Compare(ir.GetReg(0), ir.Const(0UL), kind, size), Taken, NotTaken);
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        Assert.Equal(2, cold.OpCount); // GetReg, compare + branch
        Assert.Equal(taken ? Taken : NotTaken, RunBlock(cold, p => ((CpuContext*)p)->X[0] = x0, out _));
    }

    [Fact]
    public void CompareWithZeroUsedTwiceIsNotFused()
    {
        // The compare's value is also written to x1: it must stay a value, not vanish into the branch.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var isZero = ir.Compare(ir.GetReg(0), ir.Const(0UL), IrCompare.Eq);
        ir.SetReg(1, isZero);
        ir.Branch(isZero, Taken, NotTaken);
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        ulong next = RunBlock(cold, p => ((CpuContext*)p)->X[0] = 0, out _, p => Assert.Equal(1UL, ((CpuContext*)p)->X[1]));
        Assert.Equal(Taken, next);
    }

    [Fact]
    public void AdjacentRegisterReadsAndWritesArePaired()
    {
        // x3 = x1 ^ x2, x4 = x1 - x2: two reads, two ops, two writes.
        var block = new IrBlock(0x4000);
        var ir = new IrBuilder(block);
        var a = ir.GetReg(1);
        var b = ir.GetReg(2);
        var x = ir.Xor(a, b);
        var y = ir.Sub(a, b);
        ir.SetReg(3, x);
        ir.SetReg(4, y);
        ir.Jump(0x5000);
        block.Renumber();
        var cold = InterpretedBlock.Prepare(block);
        Assert.Equal(5, cold.OpCount); // reads, xor, sub, writes, jump
        ulong next = RunBlock(cold, p =>
        {
            var ctx = (CpuContext*)p;
            ctx->X[1] = 0xF0F0;
            ctx->X[2] = 0x0FF1;
        }, out _, p =>
        {
            var ctx = (CpuContext*)p;
            Assert.Equal(0xFF01UL, ctx->X[3]);
            Assert.Equal(0xE0FFUL, ctx->X[4]);
            Assert.Equal(0xF0F0UL, ctx->X[1]);
        });
        Assert.Equal(0x5000UL, next);
    }

    private static readonly uint[] Code =
    [
        0xd2800000, // mov x0, #0
        0xd2800141, // mov x1, #10
        0x91000c00, // 1: add x0, x0, #3
        0xf1000421, // subs x1, x1, #1
        0x54ffffc1, // b.ne 1b
        0xd2800003, // mov x3, #0
        0x34000042, // cbz w2, 2f
        0x91000463, // add x3, x3, #1
        0xb5000042, // 2: cbnz x2, 3f
        0x91000863, // add x3, x3, #2
        0xb6000042, // 3: tbz x2, #32, 4f
        0x91001063, // add x3, x3, #4
        0x37080042, // 4: tbnz w2, #1, 5f
        0x91002063, // add x3, x3, #8
        0xf100005f, // 5: cmp x2, #0
        0x5400004b, // b.lt 6f
        0x91004063, // add x3, x3, #16
        0xa94014c4, // 6: ldp x4, x5, [x6]
        0xa90110c5, // stp x5, x4, [x6, #16]
        0x394000c7, // ldrb w7, [x6]
        0x794000c8, // ldrh w8, [x6]
        0xb94000c9, // ldr w9, [x6]
        0x8b0600ca, // add x10, x6, x6   (an address not folded: the accesses below take it with no offset)
        0xcb06014a, // sub x10, x10, x6
        0x39000142, // strb w2, [x10]
        0x91000d4b, // add x11, x10, #3
        0x79000162, // strh w2, [x11]
        0x9100214b, // add x11, x10, #8
        0xb9000162, // str w2, [x11]
    ];

    [Theory]
    [InlineData(0xFFFF_FFFF_0000_0000UL, 12UL, 0xA000_0000UL)] // cbz w2 and cbnz x2 taken, bit 32 set, bit 1 clear, negative
    [InlineData(2UL, 17UL, 0x2000_0000UL)] // cbz w2 not taken, cbnz taken, bit 32 clear, bit 1 set, not negative
    public void GuestBranchesAgreeInBothTiers(ulong x2, ulong expectedX3, ulong expectedNzcv)
    {
        CpuTestHarness.RunBothTiers(Code, h =>
        {
            h[2] = x2;
            h[6] = CpuTestHarness.DataBase;
            var data = h.Memory.GetSpan(CpuTestHarness.DataBase, 16);
            BitConverter.TryWriteBytes(data, 0x1111_2222_3333_4444UL);
            BitConverter.TryWriteBytes(data[8..], 0x5555_6666_7777_8888UL);
        }, h =>
        {
            Assert.Equal(ExitReason.Breakpoint, h.StopReason);
            Assert.Equal(30UL, h[0]);
            Assert.Equal(0UL, h[1]);
            Assert.Equal(expectedX3, h[3]);
            Assert.Equal(expectedNzcv, h.Nzcv);
            var m = h.Memory.GetSpan(CpuTestHarness.DataBase, 32);
            Assert.Equal(0x5555_6666_7777_8888UL, BitConverter.ToUInt64(m[16..]));
            Assert.Equal(0x1111_2222_3333_4444UL, BitConverter.ToUInt64(m[24..]));
            Assert.Equal(0x44UL, h[7]);
            Assert.Equal(0x4444UL, h[8]);
            Assert.Equal(0x3333_4444UL, h[9]);
            // Stores over the loaded data: byte 0, halfword at 3, word at 8.
            Assert.Equal((byte)x2, m[0]);
            Assert.Equal((ushort)x2, BitConverter.ToUInt16(m[3..]));
            Assert.Equal((uint)x2, BitConverter.ToUInt32(m[8..]));
            Assert.Equal(0x22, m[5]); // bytes between the stores are as loaded
            Assert.Equal(0x11, m[7]);
            Assert.Equal(0x66, m[12]);
        });
    }
}
