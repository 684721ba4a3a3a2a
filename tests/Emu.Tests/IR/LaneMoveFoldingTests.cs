using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Tests.Backend;

namespace Emu.Tests.IR;

/// <summary>FMOV Sd, Sn (FromScalar(ZeroExtend(Low64(Vn), 32))) becomes one KeepLow32, FMOV Wd, Sn one Low32, and both compute the same.</summary>
public unsafe class LaneMoveFoldingTests
{
    private static IrInst Simd(IrBuilder ir, string name, params IrInst[] args) => ir.Call(typeof(SimdHelpers), name, args);

    private static IrInst MoveS(IrBuilder ir, IrInst v) =>
        Simd(ir, nameof(SimdHelpers.FromScalar), ir.ZeroExtend(Simd(ir, nameof(SimdHelpers.Low64), v), 32));

    /// <summary>FMOV s2, s1; FMOV s3, s2; FMOV s4, w5; FMOV s6, s4; FMOV w7, s3.</summary>
    private static IrBlock Build()
    {
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block);
        ir.SetVec(2, MoveS(ir, ir.GetVec(1)));
        ir.SetVec(3, MoveS(ir, ir.GetVec(2)));
        ir.SetVec(4, Simd(ir, nameof(SimdHelpers.FromScalar), ir.ZeroExtend(ir.GetReg(5), 32)));
        ir.SetVec(6, MoveS(ir, ir.GetVec(4)));
        ir.SetReg(7, ir.ZeroExtend(Simd(ir, nameof(SimdHelpers.Low64), ir.GetVec(3)), 32));
        ir.Jump(0);
        return block;
    }

    private static IrInst Written(IrBlock block, int v) => block.Insts.Single(i => i.Op == IrOp.SetVec && i.Imm == (ulong)v).A!;

    private static string HelperOf(IrInst inst) => inst.Helper!.Method.Name;

    [Fact]
    public void SingleLaneMovesBecomeOneVectorAnd()
    {
        var block = Build();
        IrOptimizer.Run(block);
        block.Verify();
        var s2 = Written(block, 2);
        Assert.Equal(nameof(SimdHelpers.KeepLow32), HelperOf(s2));
        Assert.Equal(IrOp.GetVec, s2.Args![0].Op);
        Assert.Same(s2, Written(block, 3)); // a KeepLow32 of a KeepLow32
        // From a general register's FromScalar: left for Tier 1, which moves the scalar itself.
        Assert.Equal(nameof(SimdHelpers.FromScalar), HelperOf(Written(block, 6)));
        // FMOV w7, s3: one lane read, already zero-extended.
        var w7 = block.Insts.Single(i => i.Op == IrOp.SetReg && i.Imm == 7).A!;
        Assert.Equal(nameof(SimdHelpers.Low32), HelperOf(w7));
        Assert.Same(Written(block, 3), w7.Args![0]);
        // Only s6's lane read of a FromScalar is left (Tier 1 takes the scalar itself there).
        Assert.All(block.Insts.Where(i => i.Op == IrOp.Call && HelperOf(i) == nameof(SimdHelpers.Low64)),
            i => Assert.Equal(nameof(SimdHelpers.FromScalar), HelperOf(i.Args![0])));
    }

    [Fact]
    public void FoldedBlockComputesTheSame() =>
        IrTestKit.AssertOptimizedRunsTheSame(Build, m =>
        {
            for (int i = 0; i < 16; i++) m.Ctx->V[i] = 0x8123_4567_89AB_CDEFUL * (ulong)(i + 1);
            m.Ctx->X[5] = 0xDEAD_BEEF_F00D_CAFEUL;
        }, (_, optimized) =>
        {
            Assert.Equal(unchecked(0x8123_4567_89AB_CDEFUL * 3) & 0xFFFF_FFFF, optimized.Ctx->V[4]); // s2: the low word of v1 (V[2])
            Assert.Equal(0UL, optimized.Ctx->V[5]);
            Assert.Equal(0xF00D_CAFEUL, optimized.Ctx->V[12]); // s6 = s4 = w5
            Assert.Equal(unchecked(0x8123_4567_89AB_CDEFUL * 3) & 0xFFFF_FFFF, optimized.Ctx->X[7]); // w7 = s3 = s2 = the low word of v1
        });
}
