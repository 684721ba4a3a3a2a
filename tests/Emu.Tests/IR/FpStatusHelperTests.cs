using Emu.Cpu;
using Emu.FloatingPoint;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Tests.Backend;

namespace Emu.Tests.IR;

/// <summary>
/// Helpers marked [FpStatusHelper] see only FPCR and FPSR: register forwarding continues across them,
/// FPCR/FPSR writes before them still reach the context, and both tiers give the helper's flags.
/// </summary>
public sealed unsafe class FpStatusHelperTests
{
    private static IrBlock AddAroundFpCall(out IrBuilder ir, string fpHelper, Type helperType)
    {
        var block = new IrBlock(0x1000);
        ir = new IrBuilder(block);
        ir.SetReg(1, ir.Const(41UL));
        ir.SetSys(SysReg.Fpsr, ir.GetReg(2));
        var sum = ir.Call(helperType, fpHelper, ir.GetReg(3), ir.GetReg(4));
        ir.SetReg(0, sum);
        ir.SetReg(5, ir.Add(ir.GetReg(1), ir.Const(1UL)));
        ir.Jump(0x2000);
        return block;
    }

    [Fact]
    public void HelperIsMarkedAndRegistersAreForwardedAcrossIt()
    {
        var block = AddAroundFpCall(out _, nameof(FpScalarFast.FAdd64), typeof(FpScalarFast));
        Assert.True(IrHelper.Get(typeof(FpScalarFast), nameof(FpScalarFast.FAdd64)).UsesOnlyFpStatus);
        RegisterGetSetElimination.Run(block);
        block.Verify();
        // x1 was written before the call: the read after it uses the written value.
        Assert.DoesNotContain(block.Insts, i => i.Op == IrOp.GetReg && i.Imm == 1);
        // The FPSR write before the call stays: the helper reads it from the context.
        Assert.Contains(block.Insts, i => i.Op == IrOp.SetSys && i.Imm == (ulong)SysReg.Fpsr);
    }

    [Fact]
    public void AFullContextHelperStillEndsForwarding()
    {
        Assert.False(IrHelper.Get(typeof(FullContextProbe), nameof(FullContextProbe.Add)).UsesOnlyFpStatus);
        var block = AddAroundFpCall(out _, nameof(FullContextProbe.Add), typeof(FullContextProbe));
        RegisterGetSetElimination.Run(block);
        Assert.Contains(block.Insts, i => i.Op == IrOp.GetReg && i.Imm == 1);
    }

    [Theory]
    [InlineData(0x10UL, 0x3FF8000000000000UL, 0x3FB999999999999AUL, 0x3FF999999999999AUL, 0x10UL)] // 1.5 + 0.1, IXC already set: host path
    [InlineData(0x00UL, 0x3FF8000000000000UL, 0x3FB999999999999AUL, 0x3FF999999999999AUL, 0x10UL)] // same sum, IXC raised by the exact path
    [InlineData(0x00UL, 0x3FF0000000000000UL, 0x3FF0000000000000UL, 0x4000000000000000UL, 0x00UL)] // 1 + 1 = 2 exactly: no flag
    [InlineData(0x10UL, 0x7FF0000000000000UL, 0xFFF0000000000000UL, 0x7FF8000000000000UL, 0x11UL)] // inf + -inf: default NaN, IOC
    public void BothTiersGiveTheSumAndFpsr(ulong fpsrBefore, ulong a, ulong b, ulong expectedBits, ulong expectedFpsr)
    {
        foreach (var tier in IrTestKit.Tiers)
        {
            var block = AddAroundFpCall(out _, nameof(FpScalarFast.FAdd64), typeof(FpScalarFast));
            IrOptimizer.Run(block);
            using var m = new IrMachine();
            m.Ctx->X[2] = fpsrBefore;
            m.Ctx->X[3] = a;
            m.Ctx->X[4] = b;
            Assert.Equal(0x2000UL, m.Run(block, tier));
            Assert.Equal(expectedBits, m.Ctx->X[0]);
            Assert.Equal(expectedFpsr, m.Ctx->Fpsr);
            Assert.Equal(42UL, m.Ctx->X[5]);
        }
    }

    /// <summary>A context-taking helper without the mark (may touch any register).</summary>
    public static class FullContextProbe
    {
        public static ulong Add(CpuContext* ctx, ulong a, ulong b) => a + b + (ctx->X[1] & 0);
    }
}
