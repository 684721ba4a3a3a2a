using Emu.IR;
using Emu.IR.Passes;
using Emu.Tests.Support;

namespace Emu.Tests.CodeGen;

/// <summary>
/// Constant folding drops masks and extensions that cannot change a result: the AND of an LSL written as
/// UBFM, a mask over a value that already fits under it, a zero- or sign-extension feeding a 32-bit op or a
/// narrow store. Guest results follow the ARM definitions (expected values computed independently).
/// </summary>
public sealed class NarrowOperandTests
{
    private static (IrBlock Block, IrBuilder Ir) NewBlock()
    {
        var block = new IrBlock(0x1000);
        return (block, new IrBuilder(block));
    }

    [Fact]
    public void ShiftOfAMaskThatClearsOnlyShiftedOutBitsLosesTheMask()
    {
        var (block, ir) = NewBlock();
        var x = ir.GetReg(1);
        var lsl = ir.Shl(ir.And(x, ir.Const(0x3FFF_FFFF_FFFF_FFFFUL)), ir.Const(2UL));
        var keeps = ir.Shl(ir.And(x, ir.Const(0x1FFF_FFFF_FFFF_FFFFUL)), ir.Const(2UL)); // clears bit 61: stays
        ir.SetReg(2, lsl);
        ir.SetReg(3, keeps);
        ir.Jump(0);
        IrOptimizer.Run(block);
        block.Verify();
        Assert.Same(x, lsl.A);
        Assert.Equal(IrOp.And, keeps.A!.Op);
        Assert.Single(block.Insts, i => i.Op == IrOp.And);
    }

    [Fact]
    public void MaskOverAValueThatFitsUnderItIsDropped()
    {
        var (block, ir) = NewBlock();
        var shifted = ir.Lsr(ir.GetReg(1), ir.Const(24UL), 32); // at most 8 bits
        var masked = ir.And(shifted, ir.Const(0xFFUL), 32);
        var narrower = ir.And(shifted, ir.Const(0x7FUL), 32); // really clears bit 7
        ir.SetReg(2, masked);
        ir.SetReg(3, narrower);
        ir.Jump(0);
        IrOptimizer.Run(block);
        block.Verify();
        Assert.Same(shifted, block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == 2).A);
        Assert.Same(narrower, block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == 3).A);
    }

    [Fact]
    public void ThirtyTwoBitOpsAndNarrowStoresReadTheUnextendedValue()
    {
        var (block, ir) = NewBlock();
        var x = ir.GetReg(1);
        var y = ir.GetReg(2);
        var sum = ir.Add(ir.ZeroExtend(x, 32), ir.SignExtend(y, 32), 32);
        var wide = ir.Add(ir.ZeroExtend(x, 32), y); // 64-bit: the extension matters
        var byteOnly = ir.Add(ir.ZeroExtend(x, 8), y, 32); // 8-bit extension matters to a 32-bit op
        ir.SetReg(3, sum);
        ir.SetReg(4, wide);
        ir.SetReg(5, byteOnly);
        ir.Store(ir.Const(0x100000UL), ir.ZeroExtend(x, 16), 2);
        ir.Jump(0);
        IrOptimizer.Run(block);
        block.Verify();
        Assert.Same(x, sum.A);
        Assert.Same(y, sum.B);
        Assert.Equal(IrOp.ZeroExtend, wide.A!.Op);
        Assert.Equal(IrOp.ZeroExtend, byteOnly.A!.Op);
        Assert.Same(x, block.Insts.Single(i => i.Op == IrOp.Store).B);
        Assert.Equal(2, block.Insts.Count(i => i.Op == IrOp.ZeroExtend)); // wide's and byteOnly's
    }

    // lsl x3, x1, #2; lsl w4, w1, #3; ubfx x5, x1, #8, #8; lsr w6, w1, #24; and w6, w6, #0xff;
    // fmov s0, w1; fmov w7, s0; add w8, w7, w2; sxtw x9, w1; add w10, w9, w2; mov w11, w1;
    // eor w12, w11, w2; subs w13, w11, w2; cset w14, lt; lsr x15, x1, #40; and x15, x15, #0xffffff;
    // strb w10, [sp]; strh w9, [sp, #2]
    private static readonly uint[] Code =
    [
        0xd37ef423, 0x531d7024, 0xd3483c25, 0x53187c26, 0x12001cc6, 0x1e270020, 0x1e260007, 0x0b0200e8,
        0x93407c29, 0x0b02012a, 0x2a0103eb, 0x4a02016c, 0x6b02016d, 0x1a9fa7ee, 0xd368fc2f, 0x92405def,
        0x390003ea, 0x790007e9,
    ];

    [Theory]
    [InlineData(0xC000000080000001UL, 0x7FFFFFFFUL, new ulong[] { 0x200000004, 0x8, 0x0, 0x80, 0x80000001, 0x0, 0xffffffff80000001, 0x0, 0x80000001, 0xfffffffe, 0x2, 0x1, 0xc00000 })]
    [InlineData(0x123456789ABCDEF0UL, 0xFFFFFFFF00000001UL, new ulong[] { 0x48d159e26af37bc0, 0xd5e6f780, 0xde, 0x9a, 0x9abcdef0, 0x9abcdef1, 0xffffffff9abcdef0, 0x9abcdef1, 0x9abcdef0, 0x9abcdef1, 0x9abcdeef, 0x1, 0x123456 })]
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 0x1UL, new ulong[] { 0xfffffffffffffffc, 0xfffffff8, 0xff, 0xff, 0xffffffff, 0x0, 0xffffffffffffffff, 0x0, 0xffffffff, 0xfffffffe, 0xfffffffe, 0x1, 0xffffff })]
    public void GuestShiftsMasksAndWRegisterOps(ulong x1, ulong x2, ulong[] expected)
    {
        CpuTestHarness.RunWithResultRegisters(Code, x1, x2, expected, h =>
        {
            var stored = h.Memory.GetSpan(h.Sp, 4);
            Assert.Equal((byte)expected[7], stored[0]); // w10's low byte
            Assert.Equal((ushort)expected[6], (ushort)(stored[2] | stored[3] << 8)); // w9's low half
        });
    }
}
