using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Tests.Support;

namespace Emu.Tests.IR;

/// <summary>
/// A value that is zero-extended from 32 bits into a register write: its later readers of the low 32 bits
/// alone read the extension, so the value dies there (FMOV Wd, Sn then 32-bit ops on Wd); readers of all 64
/// bits, earlier readers, register reads and extensions that nothing reads in full stay as they are.
/// </summary>
public sealed class ExtensionUseForwardingTests
{
    private static IrInst Low64(IrBuilder ir, IrInst v) => ir.Call(typeof(SimdHelpers), nameof(SimdHelpers.Low64), v);

    /// <summary>Builds a block with <paramref name="build"/>, writes its results to x<paramref name="firstReg"/> upwards and optimizes it.</summary>
    private static void Optimize(int firstReg, Func<IrBuilder, IrInst[]> build)
    {
        var block = new IrBlock(0x1000);
        var ir = new IrBuilder(block);
        var results = build(ir);
        for (int i = 0; i < results.Length; i++) ir.SetReg(firstReg + i, results[i]);
        ir.Jump(0);
        IrOptimizer.Run(block);
        block.Verify();
    }

    [Fact]
    public void LaterLow32ReadersReadTheKeptExtension()
    {
        IrInst lane = null!, extended = null!, before = null!, ror = null!, and = null!, wide = null!, amount = null!;
        Optimize(6, ir =>
        {
            lane = Low64(ir, ir.GetVec(5));
            before = ir.Ror(lane, ir.Const(3UL), 32);
            extended = ir.ZeroExtend(lane, 32);
            ir.SetReg(4, extended);
            ror = ir.Ror(lane, ir.Const(11UL), 32);
            and = ir.And(ir.GetReg(2), lane, 32);
            wide = ir.Add(lane, ir.GetReg(2)); // 64-bit: the unextended lane
            amount = ir.Shl(ir.GetReg(2), lane); // a shift amount reads only the low bits
            return [before, ror, and, wide, amount];
        });
        Assert.Same(lane, before.A);
        Assert.Same(extended, ror.A);
        Assert.Same(extended, and.B);
        Assert.Same(lane, wide.A);
        Assert.Same(extended, amount.B);
    }

    [Fact]
    public void ExtensionsOfRegisterReadsOrReadOnlyByNarrowOpsAreNotForwardedTo()
    {
        IrInst x = null!, lane = null!, rorOfRegister = null!, narrowOnly = null!, rorOfLane = null!;
        Optimize(3, ir =>
        {
            x = ir.GetReg(1);
            var ofRegister = ir.ZeroExtend(x, 32);
            rorOfRegister = ir.Ror(x, ir.Const(5UL), 32);
            lane = Low64(ir, ir.GetVec(5));
            narrowOnly = ir.Add(ir.ZeroExtend(lane, 32), ir.GetReg(2), 32); // folding reads the lane itself
            rorOfLane = ir.Ror(lane, ir.Const(7UL), 32);
            return [ofRegister, rorOfRegister, narrowOnly, rorOfLane];
        });
        Assert.Same(x, rorOfRegister.A);
        Assert.Same(lane, narrowOnly.A);
        Assert.Same(lane, rorOfLane.A);
    }

    // fmov d5, x1; fmov w3, s5; ror w4, w3, #11; eor w5, w3, w3, ror #6; add x6, x3, x2; bic w7, w2, w3;
    // fmov w8, s5; add x9, x8, x2; str w8, [sp]
    private static readonly uint[] Code = [0x9e670025, 0x1e2600a3, 0x13832c64, 0x4ac31865, 0x8b020066, 0x0a230047, 0x1e2600a8, 0x8b020109, 0xb90003e8];

    [Theory]
    [InlineData(0xF0E1D2C3B4A59687UL, 0x1122334455667788UL)]
    [InlineData(0xFFFFFFFF00000001UL, 0xFFFFFFFFFFFFFFFFUL)]
    public void GuestLaneReadsAndTheirUsers(ulong x1, ulong x2)
    {
        uint w = (uint)x1; // the low lane, zero-extended into w3 and w8
        ulong[] expected = [w, uint.RotateRight(w, 11), w ^ uint.RotateRight(w, 6), w + x2, (uint)x2 & ~w, w, w + x2]; // x3..x9
        CpuTestHarness.RunWithResultRegisters(Code, x1, x2, expected, h =>
            Assert.Equal(w, h.Memory.Read<uint>(h.Sp)));
    }
}
